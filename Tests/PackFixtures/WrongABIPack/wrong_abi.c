// A pack module that claims an ABI version no host speaks.
#include "rxpack.h"

static const rxpack_file files[1] = {{"pack.rules", (const uint8_t *)"", 0}};
static const rxpack_descriptor descriptor = {
    99u, sizeof(rxpack_descriptor), "wrong-abi", "1.0.0", ">= 0.0.0", "sha256:00", 0, files, 0, 0};

const rxpack_descriptor *rxpack_describe(uint32_t host_abi_version) {
    (void)host_abi_version;
    return &descriptor;
}
