/*
 * LeakSanitizer (make SANITIZE=1) reads its suppressions from here, in
 * every unit test, also when a test is run by hand.  One leak, the same
 * tests/valgrind.supp names for valgrind: libconfig 1.5 loses the
 * lexer's buffer of a string token met at a syntax error; config_destroy
 * cannot reach it.  Only that buffer (strbuf_append) is named, so a
 * config_t we forgot to destroy still shows.
 */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);

const char *
__lsan_default_suppressions(void)
{
	return "leak:strbuf_append\n";
}

/* The suppression is known: no table of it after every run. */
const char *
__lsan_default_options(void)
{
	return "print_suppressions=0";
}
