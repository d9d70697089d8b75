// A shared library that is not a rule pack: it lacks the entry point.
int rxfixture_answer(void) { return 42; }
