#ifndef KEYSMITH_CLIBFUZZER_SHIM_H
#define KEYSMITH_CLIBFUZZER_SHIM_H
#include <stddef.h>
#include <stdint.h>
/* libFuzzer's driver, for a binary that keeps its own main (compiler-rt's FuzzerInterface.h declares the same).
   Fuzz/run.sh links libclang_rt.fuzzer_no_main, which defines it; other builds never call it. */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
#endif
