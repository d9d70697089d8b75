// A pack module whose embedded file was edited after its hash was computed.
#include "rxpack.h"

static const char content[] = "pack \"tampered\" version \"1.0.0\"\n";
static const rxpack_file files[1] = {{"pack.rules", (const uint8_t *)content, sizeof(content) - 1}};
static const rxpack_descriptor descriptor = {
    RXPACK_ABI_VERSION, sizeof(rxpack_descriptor), "tampered", "1.0.0", ">= 0.1.0",
    "38d43942d0e9b70e3d09af468f376d4984b94b7cd7fc9befe221b87d7a2a04ea", 1, files, 0, 0};

const rxpack_descriptor *rxpack_describe(uint32_t host_abi_version) {
    return host_abi_version == RXPACK_ABI_VERSION ? &descriptor : 0;
}
