// Filled in by the ast-grep compatibility tests.\n
