#ifndef KEYSMITH_CARGON2_SHIM_H
#define KEYSMITH_CARGON2_SHIM_H
#include <argon2.h>
/* mallopt, to keep libargon2's per-hash memory from staying resident (Argon2id.returnsMemoryAfterEachHash). */
#include <malloc.h>
#endif
