/*
 * NAME
 *	fuzz_mime - libFuzzer target for gw/mime_in (MIME payload splitting)
 * DESCRIPTION
 *	The input is the OFTP payload: it goes into a memfd (mime_in reads a
 *	file descriptor, with pread and through GMime's fs stream), is given
 *	to mime_in_detect() (which must agree with mime_in_detect_buf() on
 *	the same octets), and, whatever that says, to mime_in_parse() with
 *	a small decoded-size limit (1 MiB) so that a long run never fills
 *	the disk. The temporary part files go to $TMPDIR (default /tmp) and
 *	are anonymous. Checked on success: the part count is within
 *	MIME_IN_MAX_PARTS, every part has an open fd whose size is its len,
 *	the decoded total is within the limit, every filename is
 *	sanitised (no '/', '\\', control octets, not "." or ".."), and the
 *	body parts chosen from the built-in content-type table (1984 mode
 *	for inputs of odd length, else 1988) are in range (never latin1 or
 *	FTBP in 1984). MIME_IN_EIO, which makes oftp2x400 retry the file
 *	later, aborts: no I/O fails here, so the input caused it, and a
 *	file that does would block its queue for ever. So does a GLib
 *	critical (a g_return_if_fail in GMime: a precondition our calls
 *	broke). GMime is shut down at exit (mime_in_shutdown).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "gw/mime_in.h"
#include "util/afile.h"

#define FUZZ_MIME_MAX	(1u << 20)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_part(const struct mime_part *p, enum ctypes_mode mode)
{
	struct stat	 st;
	const char	*s;

	if (p->bp == CTYPES_BP_NONE || p->bp == CTYPES_BP_FILE ||
	    (int)p->bp > CTYPES_BP_TUNNEL)
		abort();
	if (mode == CTYPES_1984 && (p->bp == CTYPES_BP_LATIN1 ||
	    p->bp == CTYPES_BP_FTBP))
		abort();
	if (p->fd < 0 || fstat(p->fd, &st) < 0 || (uint64_t)st.st_size !=
	    p->len)
		abort();
	if (memchr(p->filename, '\0', sizeof(p->filename)) == NULL ||
	    memchr(p->type, '\0', sizeof(p->type)) == NULL)
		abort();
	if (strcmp(p->filename, ".") == 0 || strcmp(p->filename, "..") == 0)
		abort();
	for (s = p->filename; *s != '\0'; s++)
		if (*s == '/' || *s == '\\' || (unsigned char)*s < 0x20 ||
		    *s == 0x7f)
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct mime_in	*m;
	const char	*tmp;
	char		 err[512];
	uint64_t	 total = 0;
	size_t		 i;
	int		 fd, d, rc;
	static int	 registered;

	if (!registered) {		/* what g_mime_init() holds */
		atexit(mime_in_shutdown);
		/* a GMime critical is a precondition our code broke */
		g_log_set_always_fatal(G_LOG_LEVEL_CRITICAL);
		registered = 1;
	}
	if ((fd = memfd_create("fuzz_mime", MFD_CLOEXEC)) < 0)
		return 0;
	if (write_all(fd, p, n) < 0 || (m = malloc(sizeof(*m))) == NULL) {
		close(fd);
		return 0;
	}
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	d = mime_in_detect(fd);
	if (d < -1 || d > 1 || d != mime_in_detect_buf(p, n))
		abort();		/* the file and memory forms agree */
	mime_in_init(m);
	m->ctypes = ctypes_builtin();
	m->mode = n % 2 ? CTYPES_1984 : CTYPES_1988;
	err[0] = '\0';
	if ((rc = mime_in_parse(m, fd, tmp, FUZZ_MIME_MAX, err,
	    sizeof(err))) == MIME_IN_OK) {
		if (m->n > MIME_IN_MAX_PARTS)
			abort();
		for (i = 0; i < m->n; i++) {
			check_part(&m->v[i], m->mode);
			total += m->v[i].len;
		}
		if (total > FUZZ_MIME_MAX)
			abort();
		if (memchr(m->subject, '\0', sizeof(m->subject)) == NULL)
			abort();
	} else if (err[0] == '\0' || memchr(err, '\0', sizeof(err)) == NULL)
		abort();			/* an error says why */
	else if (rc == MIME_IN_EIO)
		abort();	/* no I/O fails here: the input caused it */
	mime_in_free(m);
	free(m);
	close(fd);
	return 0;
}
