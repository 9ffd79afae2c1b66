#ifndef KEYSMITH_CARGON2_SHIM_H
#define KEYSMITH_CARGON2_SHIM_H
#include <argon2.h>
#endif
