/*
 * NAME
 *	bernorm - re-encode one BER element with definite minimal lengths
 * SYNOPSIS
 *	bernorm IN OUT
 * DESCRIPTION
 *	Test tool: decodes IN with the project's BER reader (any valid BER)
 *	and writes it again with the writer (ber_normalize), so the shell
 *	tests can hand the result to an outside decoder (tshark).
 * EXIT STATUS
 *	0 written; 65 IN is not one valid BER element (the error and its
 *	offset on stderr); 66 IN unreadable; 73 OUT not writable.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sysexits.h>
#include <unistd.h>

#include "asn1/ber.h"

int
main(int argc, char **argv)
{
	struct ber_dec	 d;
	struct ber_tlv	 t;
	struct berw	 w;
	struct cur	 c;
	FILE		*f;
	uint8_t		*p;
	long		 n;
	int		 fd, e;

	if (argc != 3) {
		fprintf(stderr, "usage: bernorm IN OUT\n");
		return EX_USAGE;
	}
	if ((f = fopen(argv[1], "rb")) == NULL || fseek(f, 0, SEEK_END) ||
	    (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) ||
	    (p = malloc((size_t)n + 1)) == NULL ||
	    fread(p, 1, (size_t)n, f) != (size_t)n) {
		perror(argv[1]);
		return EX_NOINPUT;
	}
	fclose(f);
	ber_dec_init(&d);
	if ((e = ber_read_one(&d, p, (size_t)n, &t)) != BER_OK) {
		fprintf(stderr, "%s: offset %zu: %s\n", argv[1], d.err_off,
		    ber_strerror(e));
		free(p);
		return EX_DATAERR;
	}
	berw_init(&w);
	cur_init(&c, p, (size_t)n);
	if ((e = ber_normalize(&d, &c, &w)) != BER_OK) {
		fprintf(stderr, "%s: offset %zu: %s\n", argv[1], d.err_off,
		    ber_strerror(e));
		berw_free(&w);
		free(p);
		return EX_DATAERR;
	}
	if ((fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
	    berw_write_fd(&w, fd) != BER_OK || close(fd) < 0) {
		perror(argv[2]);
		return EX_CANTCREAT;
	}
	berw_free(&w);
	free(p);
	return 0;
}
