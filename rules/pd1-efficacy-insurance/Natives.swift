import RxPackSupport

/// Functions written in Swift that this pack's rules may call. This pack needs none.
let packNativeFunctions: [PackNativeFunction] = []
