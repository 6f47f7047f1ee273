/*
 * NAME
 *	buf - growable output buffer with a fixed-capacity mode
 * SYNOPSIS
 *	#include "util/buf.h"
 * DESCRIPTION
 *	A buf collects bytes. buf_init() makes a growable buffer whose memory
 *	is owned by the buf (buf_free() releases it); buf_init_fixed() uses
 *	caller memory of a fixed capacity and never allocates. A growable
 *	buffer may also be given a maximum size (buf_set_max).
 *	The error state is sticky: once an append fails (no memory, capacity
 *	or maximum exceeded) every later append fails too, and buf_error()
 *	says so; a caller may do many appends and check once.
 *	The contents are always followed by a NUL byte that is not counted
 *	in len (when there is room), so text can be used as a C string.
 *	buf_read_fd() appends what fd holds to its end (again after EINTR).
 * DIAGNOSTICS
 *	Appends return 1 on success and 0 on failure. buf_read_fd() returns
 *	0, or -1 with errno set: EFBIG when b would hold more than max
 *	octets (what was read so far stays), ENOMEM, or read(2)'s error.
 */
#ifndef OX_BUF_H
#define OX_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	uint8_t	*p;
	size_t	 len;
	size_t	 cap;
	size_t	 max;		/* 0: no limit (growable only) */
	unsigned fixed:1;	/* caller memory, never reallocated */
	unsigned err:1;		/* an append failed */
};

void	 buf_init(struct buf *);
void	 buf_init_fixed(struct buf *, void *, size_t);
void	 buf_set_max(struct buf *, size_t);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
int	 buf_error(const struct buf *);
int	 buf_reserve(struct buf *, size_t);
int	 buf_add(struct buf *, const void *, size_t);
int	 buf_add_u8(struct buf *, uint8_t);
int	 buf_add_str(struct buf *, const char *);
int	 buf_read_fd(struct buf *, int, size_t);
int	 buf_addf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 buf_vaddf(struct buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
int	 buf_insert(struct buf *, size_t, const void *, size_t);
const char *buf_cstr(struct buf *);

#endif
