/*
 * NAME
 *	buf - growable output buffer (see buf.h)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"

void
buf_init(struct buf *b)
{
	memset(b, 0, sizeof(*b));
}

void
buf_init_fixed(struct buf *b, void *mem, size_t cap)
{
	memset(b, 0, sizeof(*b));
	b->p = mem;
	b->cap = cap;
	b->fixed = 1;
	if (cap > 0)
		b->p[0] = '\0';
}

void
buf_set_max(struct buf *b, size_t max)
{
	b->max = max;
}

void
buf_free(struct buf *b)
{
	if (!b->fixed)
		free(b->p);
	memset(b, 0, sizeof(*b));
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->err = 0;
	if (b->cap > 0)
		b->p[0] = '\0';
}

int
buf_error(const struct buf *b)
{
	return b->err;
}

/* Make room for n more bytes plus the trailing NUL. */
int
buf_reserve(struct buf *b, size_t n)
{
	size_t	 need, ncap;
	uint8_t	*np;

	if (b->err)
		return 0;
	if (n > SIZE_MAX - b->len - 1)
		goto fail;
	need = b->len + n + 1;
	if (b->max > 0 && need - 1 > b->max)
		goto fail;
	if (need <= b->cap)
		return 1;
	if (b->fixed)
		goto fail;
	ncap = b->cap < 64 ? 64 : b->cap;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
	if ((np = realloc(b->p, ncap)) == NULL)
		goto fail;
	b->p = np;
	b->cap = ncap;
	return 1;
fail:
	b->err = 1;
	return 0;
}

int
buf_add(struct buf *b, const void *p, size_t n)
{
	if (!buf_reserve(b, n))
		return 0;
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 1;
}

int
buf_add_u8(struct buf *b, uint8_t v)
{
	return buf_add(b, &v, 1);
}

int
buf_add_str(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 ap2;
	int	 n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || !buf_reserve(b, (size_t)n)) {
		b->err = 1;
		return 0;
	}
	vsnprintf((char *)b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 1;
}

int
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

/* Insert n bytes at position pos, moving what follows. */
int
buf_insert(struct buf *b, size_t pos, const void *p, size_t n)
{
	if (pos > b->len) {
		b->err = 1;
		return 0;
	}
	if (!buf_reserve(b, n))
		return 0;
	memmove(b->p + pos + n, b->p + pos, b->len - pos);
	memcpy(b->p + pos, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 1;
}

const char *
buf_cstr(struct buf *b)
{
	if (b->cap == 0 && !buf_reserve(b, 0))
		return "";
	if (b->cap == 0)
		return "";
	b->p[b->len] = '\0';
	return (const char *)b->p;
}

int
buf_read_fd(struct buf *b, int fd, size_t max)
{
	uint8_t	 tmp[65536];
	ssize_t	 r;

	while ((r = read(fd, tmp, sizeof(tmp))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if ((size_t)r > max - (b->len < max ? b->len : max)) {
			errno = EFBIG;
			return -1;
		}
		if (!buf_add(b, tmp, (size_t)r)) {
			errno = ENOMEM;
			return -1;
		}
	}
	return 0;
}
