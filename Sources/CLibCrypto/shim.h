#ifndef KEYSMITH_CLIBCRYPTO_SHIM_H
#define KEYSMITH_CLIBCRYPTO_SHIM_H
/* The system's libcrypto (OpenSSL 3), for SHA-256 and its HMAC only. SHA256_Init/Update/Final are deprecated in
   OpenSSL 3 in favour of EVP, which fetches the algorithm and allocates a context on every call; the plain
   context is what lets an HMAC key's padded states be computed once and copied per message (SystemCrypto). */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#include <openssl/crypto.h>
#endif
