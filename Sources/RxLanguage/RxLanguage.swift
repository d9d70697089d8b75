// The rules language: source files, lexer, parser, AST, formatter, type checker, diagnostics.
