/*
 * NAME
 *	t_records - tests of payload record iteration in F, V, T and U,
 *	and of the streaming writer (content in pieces, the bytes of each
 *	format out, read back by the iterator)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"
#include "oftp/records.h"

/* Iterate p as format/lrecl; return the rc that ended the walk, the
 * records found, and the message of an error. */
static int
walk(const void *p, size_t n, char fmt, uint32_t lrecl, unsigned flags,
    struct rec *recs, size_t max, size_t *nrec, char *msg, size_t mlen)
{
	struct rec_iter it;
	struct cur c;
	struct rec r;
	int	 rc;

	*nrec = 0;
	msg[0] = '\0';
	cur_init(&c, p, n);
	if ((rc = rec_iter_init(&it, &c, fmt, lrecl, flags)) != REC_OK) {
		rec_errmsg(&it, msg, mlen);
		return rc;
	}
	while ((rc = rec_next(&it, &r)) == REC_OK)
		if (*nrec < max)
			recs[(*nrec)++] = r;
	if (rc != REC_END)
		rec_errmsg(&it, msg, mlen);
	CHECK_EQ_INT(rec_next(&it, &r), rc);	/* sticky */
	return rc;
}

static void
t_fixed(void)
{
	struct rec r[8];
	size_t	 n;
	char	 msg[128];

	CHECK_EQ_INT(walk("AAAABBBBCCCC", 12, 'F', 4, 0, r, 8, &n, msg,
	    sizeof(msg)), REC_END);
	CHECK_EQ_INT(n, 3);
	CHECK_EQ_MEM(r[1].p, r[1].len, "BBBB", 4);
	CHECK_EQ_INT(r[1].num, 2);
	CHECK_EQ_INT(r[1].off, 4);
	CHECK_EQ_INT(walk("AAAABBBBCC", 10, 'F', 4, 0, r, 8, &n, msg,
	    sizeof(msg)), REC_ESHORT);
	CHECK_EQ_INT(n, 2);
	CHECK_EQ_STR(msg, "record 3 at offset 8: last record has 2 octets, "
	    "lrecl is 4");
	CHECK_EQ_INT(walk("", 0, 'F', 4, 0, r, 8, &n, msg, sizeof(msg)),
	    REC_END);
	CHECK_EQ_INT(n, 0);
	CHECK_EQ_INT(walk("AAAA", 4, 'F', 0, 0, r, 8, &n, msg, sizeof(msg)),
	    REC_EFORMAT);
	CHECK_EQ_INT(walk("AAAA", 4, 'F', 100000, 0, r, 8, &n, msg,
	    sizeof(msg)), REC_EFORMAT);
}

static void
t_variable(void)
{
	static const char ok[] = "\x00\x03" "abc" "\x00\x00" "\x00\x05" "hello";
	static const char big[] = "\x00\x03" "abc" "\x00\x06" "hello!";
	static const char cut1[] = "\x00\x03" "abc" "\x00";
	static const char cut2[] = "\x00\x03" "abc" "\x00\x05" "hel";
	struct rec r[8];
	size_t	 n;
	char	 msg[128];

	CHECK_EQ_INT(walk(ok, sizeof(ok) - 1, 'V', 5, 0, r, 8, &n, msg,
	    sizeof(msg)), REC_END);
	CHECK_EQ_INT(n, 3);
	CHECK_EQ_MEM(r[0].p, r[0].len, "abc", 3);
	CHECK_EQ_INT(r[0].off, 2);
	CHECK_EQ_INT(r[1].len, 0);
	CHECK_EQ_MEM(r[2].p, r[2].len, "hello", 5);
	CHECK_EQ_INT(r[2].num, 3);
	CHECK_EQ_INT(r[2].off, 9);
	CHECK_EQ_INT(walk(big, sizeof(big) - 1, 'V', 5, 0, r, 8, &n, msg,
	    sizeof(msg)), REC_ETOOLONG);
	CHECK_EQ_STR(msg, "record 2 at offset 5: record of 6 octets exceeds "
	    "lrecl 5");
	CHECK_EQ_INT(walk(cut1, sizeof(cut1) - 1, 'V', 5, 0, r, 8, &n, msg,
	    sizeof(msg)), REC_ETRUNC);
	CHECK_EQ_STR(msg, "record 2 at offset 5: length prefix cut off by "
	    "the end of the payload");
	CHECK_EQ_INT(walk(cut2, sizeof(cut2) - 1, 'V', 5, 0, r, 8, &n, msg,
	    sizeof(msg)), REC_ETRUNC);
	CHECK_EQ_STR(msg, "record 2 at offset 5: record of 5 octets cut off "
	    "by the end of the payload");
}

static void
t_text(void)
{
	static char line[2052];
	struct rec r[8];
	size_t	 n;
	char	 msg[128];

	CHECK_EQ_INT(walk("ab\r\n\r\ncd", 8, 'T', 0, 0, r, 8, &n, msg,
	    sizeof(msg)), REC_END);
	CHECK_EQ_INT(n, 3);
	CHECK_EQ_MEM(r[0].p, r[0].len, "ab", 2);
	CHECK_EQ_INT(r[1].len, 0);
	CHECK_EQ_INT(r[1].off, 4);
	CHECK_EQ_MEM(r[2].p, r[2].len, "cd", 2);	/* unterminated last */
	CHECK_EQ_INT(walk("ab\r\n", 4, 'T', 0, 0, r, 8, &n, msg, sizeof(msg)),
	    REC_END);
	CHECK_EQ_INT(n, 1);
	CHECK_EQ_INT(walk("ab\r\ncd\ref", 9, 'T', 0, 0, r, 8, &n, msg,
	    sizeof(msg)), REC_EBARECR);
	CHECK_EQ_STR(msg, "record 2 at offset 6: CR not followed by LF");
	CHECK_EQ_INT(walk("ab\r", 3, 'T', 0, 0, r, 8, &n, msg, sizeof(msg)),
	    REC_EBARECR);
	CHECK_EQ_INT(walk("ab\ncd", 5, 'T', 0, 0, r, 8, &n, msg, sizeof(msg)),
	    REC_EBARELF);
	CHECK_EQ_STR(msg, "record 1 at offset 2: LF not preceded by CR");
	memset(line, 'x', 2048);
	memcpy(line + 2048, "\r\n", 2);
	CHECK_EQ_INT(walk(line, 2050, 'T', 0, 0, r, 8, &n, msg, sizeof(msg)),
	    REC_END);
	CHECK_EQ_INT(r[0].len, 2048);
	line[2048] = 'x';
	memcpy(line + 2049, "\r\n", 2);
	CHECK_EQ_INT(walk(line, 2051, 'T', 0, 0, r, 8, &n, msg, sizeof(msg)),
	    REC_ETOOLONG);
	CHECK_EQ_STR(msg, "record 1 at offset 0: line longer than 2048 octets");
	CHECK_EQ_INT(walk(line, 2049, 'T', 0, 0, r, 8, &n, msg, sizeof(msg)),
	    REC_ETOOLONG);
	CHECK_EQ_INT(walk("a\tb\r\n", 5, 'T', 0, 0, r, 8, &n, msg,
	    sizeof(msg)), REC_END);
	CHECK_EQ_INT(walk("a\tb\r\n", 5, 'T', 0, REC_STRICT, r, 8, &n, msg,
	    sizeof(msg)), REC_ECHAR);
	CHECK_EQ_STR(msg, "record 1 at offset 1: octet 0x09 not allowed in a "
	    "text file");
	CHECK_EQ_INT(walk("\xe4", 1, 'T', 0, REC_STRICT, r, 8, &n, msg,
	    sizeof(msg)), REC_ECHAR);
	CHECK_EQ_INT(walk("ab", 2, 'T', 80, 0, r, 8, &n, msg, sizeof(msg)),
	    REC_EFORMAT);
}

static void
t_unstructured(void)
{
	struct rec r[8];
	size_t	 n;
	char	 msg[128];

	CHECK_EQ_INT(walk("a\r\nb\n\0c", 7, 'U', 0, 0, r, 8, &n, msg,
	    sizeof(msg)), REC_END);
	CHECK_EQ_INT(n, 1);
	CHECK_EQ_INT(r[0].len, 7);
	CHECK_EQ_INT(walk("", 0, 'U', 0, 0, r, 8, &n, msg, sizeof(msg)),
	    REC_END);
	CHECK_EQ_INT(n, 0);
	CHECK_EQ_INT(walk("a", 1, 'X', 0, 0, r, 8, &n, msg, sizeof(msg)),
	    REC_EFORMAT);
}

static void
t_write(void)
{
	struct buf b;
	struct cur c;
	uint64_t count;
	char	 msg[128];
	static char big[70000];

	buf_init(&b);
	CHECK_EQ_INT(rec_write(&b, 'V', 5, "abc", 3), REC_OK);
	CHECK_EQ_INT(rec_write(&b, 'V', 5, "", 0), REC_OK);
	CHECK_EQ_INT(rec_write(&b, 'V', 5, "hello", 5), REC_OK);
	CHECK_EQ_MEM(b.p, b.len, "\x00\x03" "abc" "\x00\x00" "\x00\x05" "hello",
	    14);
	CHECK_EQ_INT(rec_write(&b, 'V', 5, "hello!", 6), REC_ETOOLONG);
	CHECK_EQ_INT(rec_write(&b, 'V', 99999, big, 65536), REC_ETOOLONG);
	cur_init(&c, b.p, b.len);
	CHECK_EQ_INT(rec_scan(&c, 'V', 5, 0, &count, msg, sizeof(msg)),
	    REC_OK);
	CHECK_EQ_INT(count, 3);
	buf_reset(&b);
	CHECK_EQ_INT(rec_write(&b, 'F', 2, "ab", 2), REC_OK);
	CHECK_EQ_INT(rec_write(&b, 'F', 2, "cd", 2), REC_OK);
	CHECK_EQ_INT(rec_write(&b, 'F', 2, "e", 1), REC_ELENGTH);
	CHECK_EQ_MEM(b.p, b.len, "abcd", 4);
	buf_reset(&b);
	CHECK_EQ_INT(rec_write(&b, 'T', 0, "line 1", 6), REC_OK);
	CHECK_EQ_INT(rec_write(&b, 'T', 0, "", 0), REC_OK);
	CHECK_EQ_INT(rec_write(&b, 'T', 0, "a\rb", 3), REC_EBARECR);
	CHECK_EQ_INT(rec_write(&b, 'T', 0, "a\nb", 3), REC_EBARELF);
	CHECK_EQ_INT(rec_write(&b, 'T', 0, big, 2049), REC_ETOOLONG);
	CHECK_EQ_MEM(b.p, b.len, "line 1\r\n\r\n", 10);
	cur_init(&c, b.p, b.len);
	CHECK_EQ_INT(rec_scan(&c, 'T', 0, REC_STRICT, &count, msg,
	    sizeof(msg)), REC_OK);
	CHECK_EQ_INT(count, 2);
	buf_reset(&b);
	CHECK_EQ_INT(rec_write(&b, 'U', 0, "\0\r\n", 3), REC_OK);
	CHECK_EQ_INT(b.len, 3);
	CHECK_EQ_INT(rec_write(&b, 'U', 1, "x", 1), REC_EFORMAT);
	CHECK_EQ_INT(rec_write(&b, 'Q', 0, "x", 1), REC_EFORMAT);
	CHECK_EQ_INT(rec_write(&b, 'F', 0, "x", 1), REC_EFORMAT);
	buf_free(&b);
	cur_init(&c, "AAAAB", 5);
	CHECK_EQ_INT(rec_scan(&c, 'F', 2, 0, &count, msg, sizeof(msg)),
	    REC_ESHORT);
	CHECK_EQ_INT(count, 2);
	CHECK_EQ_STR(msg, "record 3 at offset 4: last record has 1 octets, "
	    "lrecl is 2");
}

/* Offsets in messages are absolute in the original input. */
static void
t_child_offsets(void)
{
	static const char in[] = "HEADER" "ab\ncd";
	struct cur c, ch;
	uint64_t count;
	char	 msg[128];

	cur_init(&c, in, sizeof(in) - 1);
	CHECK(cur_skip(&c, 6) && cur_child(&c, &ch, 5));
	CHECK_EQ_INT(rec_scan(&ch, 'T', 0, 0, &count, msg, sizeof(msg)),
	    REC_EBARELF);
	CHECK_EQ_STR(msg, "record 1 at offset 8: LF not preceded by CR");
	CHECK_EQ_INT(cur_len(&ch), 5);	/* the caller's cursor is untouched */
}

/* Write content in two pieces (split at cut) through the streaming
 * writer into a file; compare the bytes with want. */
static void
stream(char fmt, uint32_t lrecl, int text, const char *in, size_t cut,
    const void *want, size_t wlen)
{
	struct rec_writer *w;
	char		 path[4200];
	uint8_t		*got;
	size_t		 n, len = strlen(in);
	struct cur	 c;
	FILE		*f;

	snprintf(path, sizeof(path), "%s/stream", test_dir());
	if ((f = fopen(path, "w+b")) == NULL || (w = malloc(sizeof(*w))) ==
	    NULL) {
		test_fail(__FILE__, __LINE__, "%s", path);
		return;
	}
	CHECK_EQ_INT(rec_writer_init(w, fmt, lrecl, text, fileno(f)), REC_OK);
	rec_writer_put(w, in, cut);
	rec_writer_put(w, in + cut, len - cut);
	CHECK_EQ_INT(rec_writer_finish(w), 0);
	CHECK_EQ_INT(w->written, wlen);
	free(w);
	fclose(f);
	if (test_read_file(path, &got, &n) < 0) {
		test_fail(__FILE__, __LINE__, "%s", path);
		return;
	}
	CHECK_EQ_MEM(got, n, want, wlen);
	cur_init(&c, got, n);
	CHECK_EQ_INT(rec_scan(&c, fmt, lrecl, 0, NULL, NULL, 0), REC_OK);
	free(got);
	unlink(path);
}

static void
t_stream(void)
{
	struct rec_writer w;

	/* T: a bare LF gets its CR, a bare CR ends a line, the last line
	 * is ended; CR LF split between two pieces stays one line end */
	stream('T', 0, 1, "a\r\nb\nc\rd", 2, "a\r\nb\r\nc\r\nd\r\n", 12);
	/* F: records of lrecl, the last one padded with spaces */
	stream('F', 4, 0, "abcdefg", 3, "abcdefg ", 8);
	/* V binary: records of at most lrecl; V text: a line a record */
	stream('V', 3, 0, "abcde", 1, "\0\3abc\0\2de", 9);
	stream('V', 80, 1, "ab\r\n\ncd", 3, "\0\2ab\0\0\0\2cd", 10);
	/* U: as it is */
	stream('U', 0, 0, "x\r\ny", 1, "x\r\ny", 4);
	/* the one lrecl rule */
	CHECK_EQ_INT(rec_writer_init(&w, 'F', 0, 0, -1), REC_EFORMAT);
	CHECK_EQ_INT(rec_writer_init(&w, 'V', 100000, 0, -1), REC_EFORMAT);
	CHECK_EQ_INT(rec_writer_init(&w, 'T', 80, 0, -1), REC_EFORMAT);
	CHECK_EQ_INT(rec_writer_init(&w, 'Q', 0, 0, -1), REC_EFORMAT);
}

/* The bytes the streaming writer makes of in, given step octets per
 * call (0: pseudo-random steps up to 3000); malloc'ed, *n its length. */
static uint8_t *
written(char fmt, uint32_t lrecl, int text, const uint8_t *in, size_t len,
    size_t step, size_t *n)
{
	struct rec_writer *w = malloc(sizeof(*w));
	char		 path[4200];
	uint8_t		*got = NULL;
	size_t		 i, k;
	unsigned	 r = 7;
	FILE		*f;

	snprintf(path, sizeof(path), "%s/runs", test_dir());
	if (w == NULL || (f = fopen(path, "w+b")) == NULL) {
		free(w);
		return NULL;
	}
	CHECK_EQ_INT(rec_writer_init(w, fmt, lrecl, text, fileno(f)), REC_OK);
	for (i = 0; i < len; i += k) {
		r = r * 1103515245 + 12345;
		k = step ? step : 1 + (r >> 8) % 3000;
		if (k > len - i)
			k = len - i;
		rec_writer_put(w, in + i, k);
	}
	CHECK_EQ_INT(rec_writer_finish(w), 0);
	free(w);
	fclose(f);
	if (test_read_file(path, &got, n) < 0)
		got = NULL;
	unlink(path);
	return got;
}

/*
 * Runs are copied whole, octets after CR, CR and LF one by one: the
 * same bytes however the input is cut, for every format, with long
 * lines and records that fill exactly; a T line of 5000 octets is
 * broken after 2048 and 4096.
 */
static void
t_stream_runs(void)
{
	static const uint8_t alpha[] = "ab\r\n\xe4\0";
	static const struct { char f; uint32_t lrecl; int text; } fm[] = {
		{ 'T', 0, 1 }, { 'F', 7, 0 }, { 'F', 4096, 1 }, { 'V', 5, 0 },
		{ 'V', 9, 1 }, { 'V', 2048, 1 }, { 'U', 0, 0 },
	};
	uint8_t		 in[30000], *one, *runs, *many;
	size_t		 i, j, n1, nr, nm;
	unsigned	 r = 1;

	for (i = 0; i < sizeof(in); ) {		/* runs of 1 to 3000 */
		r = r * 1103515245 + 12345;
		j = 1 + (r >> 16) % (r & 1 ? 3000 : 3);
		for (; j > 0 && i < sizeof(in); j--)
			in[i++] = alpha[(r >> 4) % 6];
	}
	for (i = 0; i < sizeof(fm) / sizeof(fm[0]); i++) {
		one = written(fm[i].f, fm[i].lrecl, fm[i].text, in,
		    sizeof(in), 1, &n1);
		runs = written(fm[i].f, fm[i].lrecl, fm[i].text, in,
		    sizeof(in), 0, &nr);
		many = written(fm[i].f, fm[i].lrecl, fm[i].text, in,
		    sizeof(in), sizeof(in), &nm);
		CHECK(one != NULL && runs != NULL && many != NULL && n1 > 0);
		if (one != NULL && runs != NULL && many != NULL) {
			CHECK_EQ_MEM(runs, nr, one, n1);
			CHECK_EQ_MEM(many, nm, one, n1);
		}
		free(one);
		free(runs);
		free(many);
	}
	memset(in, 'a', 5000);
	runs = written('T', 0, 1, in, 5000, 0, &nr);
	CHECK(runs != NULL && nr == 5006 && memcmp(runs + 2048, "\r\na", 3) ==
	    0 && memcmp(runs + 4098, "\r\na", 3) == 0 &&
	    memcmp(runs + 5004, "\r\n", 2) == 0);
	free(runs);
}

int
main(void)
{
	TEST(t_fixed);
	TEST(t_variable);
	TEST(t_text);
	TEST(t_unstructured);
	TEST(t_write);
	TEST(t_stream);
	TEST(t_stream_runs);
	TEST(t_child_offsets);
	return test_done();
}
