// The C boundary between the rxrules host and a compiled rule-pack module.
//
// A pack module is a shared library that exports one function, `rxpack_describe`. The host calls
// it with the ABI version it speaks; the pack returns a pointer to a static, immutable descriptor
// (or NULL when it cannot serve that version). Only C data crosses: the host copies what it needs
// and owns parsing and evaluation; packs never link the engine.
//
// Versioning rules: `abi_version` changes when a field changes meaning or is removed; new fields
// are only appended, and `struct_size` tells the host how many bytes the pack's descriptor has.
#ifndef RXPACK_H
#define RXPACK_H

#include <stdint.h>

#define RXPACK_ABI_VERSION 1u
#define RXPACK_ENTRY_POINT "rxpack_describe"

/// Value kinds a native function may take and return.
typedef enum rxpack_value_kind {
    RXPACK_KIND_BOOL = 1,
    RXPACK_KIND_INT = 2,
    RXPACK_KIND_DECIMAL = 3,   // exact decimal: units x 10^-scale
    RXPACK_KIND_DATE = 4,      // days since 1970-01-01
    RXPACK_KIND_STRING = 5,    // NUL-terminated UTF-8, valid only during the call
} rxpack_value_kind;

/// One argument or result of a native function. Argument strings are valid only during the call;
/// a result string must point to memory the pack keeps alive (for example static text).
typedef struct rxpack_value {
    uint32_t kind;             // an rxpack_value_kind
    uint32_t scale;            // fraction digits, for RXPACK_KIND_DECIMAL
    int64_t integer;           // Bool (0/1), Int, decimal units, or day number
    const char *_Nullable string;
} rxpack_value;

/// A native function: returns 0 and writes `*result` on success, non-zero on failure
/// (the host reports the failure with the rule location; the pack must not abort).
typedef int32_t (*rxpack_native_fn)(const rxpack_value *_Nonnull arguments, uint32_t argument_count,
                                     rxpack_value *_Nonnull result);

typedef struct rxpack_native_function {
    const char *_Nonnull name;                     // name used in rules
    const char *_Nonnull documentation;            // one line
    uint32_t argument_count;
    const uint32_t *_Nullable argument_kinds;      // argument_count rxpack_value_kind values
    const char *_Nullable const *_Nullable argument_names;
    uint32_t result_kind;
    rxpack_native_fn _Nonnull function;
} rxpack_native_function;

/// One embedded file of the pack: a path relative to the pack folder and its exact bytes.
typedef struct rxpack_file {
    const char *_Nonnull path;
    const uint8_t *_Nonnull bytes;
    uint64_t length;
} rxpack_file;

typedef struct rxpack_descriptor {
    uint32_t abi_version;                          // RXPACK_ABI_VERSION the pack was built with
    uint32_t struct_size;                          // sizeof(rxpack_descriptor) in the pack
    const char *_Nonnull name;                     // pack name from its header
    const char *_Nonnull version;                  // semantic version
    const char *_Nonnull engine_range;             // engine versions the pack accepts
    const char *_Nonnull content_hash;             // "sha256:<hex>" over the embedded files
    uint32_t file_count;
    const rxpack_file *_Nonnull files;
    uint32_t native_function_count;
    const rxpack_native_function *_Nullable native_functions;
} rxpack_descriptor;

/// The one entry point a pack exports.
typedef const rxpack_descriptor *_Nullable (*rxpack_describe_fn)(uint32_t host_abi_version);

#endif
