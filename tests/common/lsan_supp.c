/*
 * LeakSanitizer (make SANITIZE=1, and the fuzzers) reads its
 * suppressions from here, in every unit test and fuzzer, also when one is
 * run by hand.  One leak, the same tests/valgrind.supp names for
 * valgrind: libconfig 1.5 loses what its scanner allocated for a token
 * that a syntax error makes the parser discard (upstream issue 142,
 * fixed after 1.5); config_destroy cannot reach it.  Only those two
 * allocation sites are named (a string's buffer in strbuf_append, a name
 * in libconfig_yylex), so a config_t we forgot to destroy still shows.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:strbuf_append\nleak:libconfig_yylex\n";
}

/* The suppression is known: no table of it after every run. */
const char *
__lsan_default_options(void)
{
	return "print_suppressions=0";
}
