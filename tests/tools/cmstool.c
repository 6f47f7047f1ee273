/*
 * NAME
 *	cmstool - the cms module on files, for the shell tests
 * SYNOPSIS
 *	cmstool wrap [-s suite] [-l layers] [keys] [-t tmpdir] IN OUT
 *	cmstool unwrap [-l layers] [-m max] [keys] [-t tmpdir] IN OUT
 *	cmstool sign-data -s suite -k key -c cert IN SIG
 *	cmstool verify-data -p partner SIG DATA
 *	cmstool sign-eerp -s suite -k key -c cert [-f FILE] EERP OUT [SIG DATA]
 *	cmstool verify-eerp -p partner EERP
 *	cmstool hash -s suite FILE
 *	cmstool detect FILE
 *
 *	keys: -k our-key.pem -c our-cert.pem -p partner-cert.pem
 *	layers: letters s (signed), c (compressed), e (enveloped); for
 *	unwrap, the layers expected (default: detect).
 * DESCRIPTION
 *	Test tool for tests/sh/cms_openssl.sh. wrap and unwrap print the
 *	result fields and the peak resident size on stdout:
 *	"layers=sce sec=3 ciph=4 comp=1 env=1 in=N out=N fsize=N osize=N
 *	maxrss_kb=N". sign-eerp reads an OFTP2 EERP/NERP, sets its hash to
 *	the hash of FILE (if given), signs it and writes the signed command;
 *	SIG and DATA, if given, receive the bare signature and the signed
 *	octets. verify-eerp checks a signed EERP/NERP against the partner.
 * EXIT STATUS
 *	0 success; for unwrap the NERP reason (31 signature, 32
 *	decompression, 33 decryption) when the data is at fault; 64 usage;
 *	65 other data errors (the message on stderr); 66 input unreadable;
 *	73 output not writable; 74 I/O; 70 anything else.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sysexits.h>
#include <unistd.h>

#include "oftp/cms.h"
#include "oftp/eerp.h"
#include "util/afile.h"

static void
usage(void)
{
	fprintf(stderr, "usage: cmstool wrap|unwrap|sign-data|verify-data|"
	    "sign-eerp|verify-eerp|hash|detect [-s suite] [-l sce] "
	    "[-m max] [-k key] [-c cert] [-p partner] [-t tmpdir] ARGS\n");
	exit(EX_USAGE);
}

static unsigned
layers_arg(const char *s)
{
	unsigned l = 0;

	for (; *s; s++) {
		if (*s == 's')
			l |= CMS_LAYER_SIGNED;
		else if (*s == 'c')
			l |= CMS_LAYER_COMPRESSED;
		else if (*s == 'e')
			l |= CMS_LAYER_ENVELOPED;
		else
			usage();
	}
	return l;
}

static const char *
layers_text(unsigned l, char *b)
{
	char	*p = b;

	if (l & CMS_LAYER_SIGNED)
		*p++ = 's';
	if (l & CMS_LAYER_COMPRESSED)
		*p++ = 'c';
	if (l & CMS_LAYER_ENVELOPED)
		*p++ = 'e';
	if (p == b)
		*p++ = '-';
	*p = '\0';
	return b;
}

static int
exit_code(int e)
{
	switch (e) {
	case CMS_OK:
		return 0;
	case CMS_EIO:
		return EX_IOERR;
	case CMS_EARG:
	case CMS_EKEY:
		return EX_USAGE;
	case CMS_ENOMEM:
	case CMS_ESIGN:
	case CMS_EENCRYPT:
	case CMS_ECOMPRESS:
		return EX_SOFTWARE;
	}
	return EX_DATAERR;
}

static long
maxrss_kb(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

static int
read_file(const char *path, struct buf *b)
{
	char	 chunk[65536];
	ssize_t	 r;
	int	 fd;

	if ((fd = open(path, O_RDONLY)) < 0)
		return -1;
	while ((r = read(fd, chunk, sizeof(chunk))) > 0)
		if (!buf_add(b, chunk, (size_t)r)) {
			close(fd);
			return -1;
		}
	close(fd);
	return r < 0 ? -1 : 0;
}

static int
write_file(const char *path, const void *p, size_t n)
{
	int	 fd;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
	    write_all(fd, p, n) < 0 || close(fd) < 0) {
		perror(path);
		return -1;
	}
	return 0;
}

static int
run_wrap(int unwrap, const struct cms_keys *k, struct cms_opts *o,
    const char *in, const char *out)
{
	struct cms_result r;
	char	 err[512], lt[8];
	int	 ifd, ofd, e;

	if ((ifd = open(in, O_RDONLY)) < 0) {
		perror(in);
		return EX_NOINPUT;
	}
	if ((ofd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0) {
		perror(out);
		close(ifd);
		return EX_CANTCREAT;
	}
	e = unwrap ? cms_unwrap(k, o, ifd, ofd, &r, err, sizeof(err)) :
	    cms_wrap(k, o, ifd, ofd, &r, err, sizeof(err));
	close(ifd);
	if (close(ofd) < 0 && e == CMS_OK) {
		perror(out);
		return EX_IOERR;
	}
	if (e != CMS_OK) {
		if (r.reason)
			fprintf(stderr, "cmstool: %s: %s (NERP reason %u)\n",
			    in, err, r.reason);
		else
			fprintf(stderr, "cmstool: %s: %s\n", in, err);
		return r.reason ? (int)r.reason : exit_code(e);
	}
	printf("layers=%s sec=%u ciph=%u comp=%u env=%u in=%llu out=%llu "
	    "fsize=%llu osize=%llu maxrss_kb=%ld\n", layers_text(r.layers, lt),
	    r.sec, r.ciph, r.comp, r.env, (unsigned long long)r.in_bytes,
	    (unsigned long long)r.out_bytes, (unsigned long long)r.fsize,
	    (unsigned long long)r.osize, maxrss_kb());
	return 0;
}

static int
run_eerp(int sign, const struct cms_keys *k, unsigned suite,
    const char *file, char **argv, int argc)
{
	struct eerp ep;
	struct buf in, sig, out, data;
	struct cur c;
	uint8_t	 md[CMS_HASH_MAX];
	size_t	 mdlen;
	char	 err[512];
	int	 fd, e, rc = 0;

	buf_init(&in);
	buf_init(&sig);
	buf_init(&out);
	buf_init(&data);
	if (read_file(argv[0], &in) < 0) {
		perror(argv[0]);
		return EX_NOINPUT;
	}
	cur_init(&c, in.p, in.len);
	if (eerp_parse(&ep, &c, EERP_OFTP2, err, sizeof(err)) != EERP_OK) {
		fprintf(stderr, "cmstool: %s: %s\n", argv[0], err);
		rc = EX_DATAERR;
		goto done;
	}
	if (!sign) {
		if ((e = cms_verify_eerp(k, &ep, err, sizeof(err))) != CMS_OK) {
			fprintf(stderr, "cmstool: %s: %s\n", argv[0], err);
			rc = exit_code(e);
		} else
			printf("signature valid\n");
		goto done;
	}
	if (file != NULL) {
		if ((fd = open(file, O_RDONLY)) < 0) {
			perror(file);
			rc = EX_NOINPUT;
			goto done;
		}
		e = cms_hash_fd(suite, fd, md, &mdlen, err, sizeof(err));
		close(fd);
		if (e != CMS_OK) {
			fprintf(stderr, "cmstool: %s: %s\n", file, err);
			rc = exit_code(e);
			goto done;
		}
		ep.hash = md;
		ep.hash_len = mdlen;
	}
	if ((e = cms_sign_eerp(k, suite, &ep, &sig, err, sizeof(err))) !=
	    CMS_OK) {
		fprintf(stderr, "cmstool: %s\n", err);
		rc = exit_code(e);
		goto done;
	}
	ep.sig = sig.p;
	ep.sig_len = sig.len;
	if (eerp_build(&ep, &out, err, sizeof(err)) != EERP_OK ||
	    eerp_signed_data(&ep, &data, err, sizeof(err)) != EERP_OK) {
		fprintf(stderr, "cmstool: %s\n", err);
		rc = EX_SOFTWARE;
		goto done;
	}
	if (write_file(argv[1], out.p, out.len) < 0 ||
	    (argc > 2 && write_file(argv[2], sig.p, sig.len) < 0) ||
	    (argc > 3 && write_file(argv[3], data.p, data.len) < 0))
		rc = EX_CANTCREAT;
done:
	buf_free(&in);
	buf_free(&sig);
	buf_free(&out);
	buf_free(&data);
	return rc;
}

static int
run_data(int sign, const struct cms_keys *k, unsigned suite, char **argv)
{
	struct buf a, b;
	char	 err[512];
	int	 e, rc = 0;

	buf_init(&a);
	buf_init(&b);
	if (read_file(argv[0], &a) < 0 || (!sign && read_file(argv[1],
	    &b) < 0)) {
		perror(argv[0]);
		rc = EX_NOINPUT;
		goto done;
	}
	if (sign) {
		if ((e = cms_sign_data(k, suite, a.p, a.len, &b, err,
		    sizeof(err))) != CMS_OK) {
			fprintf(stderr, "cmstool: %s\n", err);
			rc = exit_code(e);
		} else if (write_file(argv[1], b.p, b.len) < 0)
			rc = EX_CANTCREAT;
	} else if ((e = cms_verify_data(k, a.p, a.len, b.p, b.len, err,
	    sizeof(err))) != CMS_OK) {
		fprintf(stderr, "cmstool: %s: %s\n", argv[0], err);
		rc = exit_code(e);
	} else
		printf("signature valid\n");
done:
	buf_free(&a);
	buf_free(&b);
	return rc;
}

int
main(int argc, char **argv)
{
	struct cms_opts o;
	struct cms_keys *k = NULL;
	const char *cmd, *key = NULL, *cert = NULL, *partner = NULL;
	const char *file = NULL;
	uint8_t	 md[CMS_HASH_MAX];
	size_t	 mdlen, i;
	char	 err[512];
	int	 ch, rc, fd, e, need;

	if (argc < 2)
		usage();
	cmd = argv[1];
	argc--;
	argv++;
	memset(&o, 0, sizeof(o));
	while ((ch = getopt(argc, argv, "c:f:k:l:m:p:s:t:")) != -1) {
		switch (ch) {
		case 'c':
			cert = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		case 'k':
			key = optarg;
			break;
		case 'l':
			o.layers = layers_arg(optarg);
			break;
		case 'm':
			o.max_out = strtoull(optarg, NULL, 10);
			break;
		case 'p':
			partner = optarg;
			break;
		case 's':
			o.suite = (unsigned)strtoul(optarg, NULL, 10);
			break;
		case 't':
			o.tmpdir = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	need = strcmp(cmd, "hash") == 0 || strcmp(cmd, "detect") == 0 ||
	    strcmp(cmd, "verify-eerp") == 0 ? 1 : 2;
	if (argc < need)
		usage();
	if ((e = cms_keys_load(&k, key, cert, partner, err, sizeof(err))) !=
	    CMS_OK) {
		fprintf(stderr, "cmstool: %s\n", err);
		return exit_code(e);
	}
	if (strcmp(cmd, "wrap") == 0 || strcmp(cmd, "unwrap") == 0)
		rc = run_wrap(cmd[0] == 'u', k, &o, argv[0], argv[1]);
	else if (strcmp(cmd, "sign-data") == 0 ||
	    strcmp(cmd, "verify-data") == 0)
		rc = run_data(cmd[0] == 's', k, o.suite, argv);
	else if (strcmp(cmd, "sign-eerp") == 0 ||
	    strcmp(cmd, "verify-eerp") == 0)
		rc = run_eerp(cmd[0] == 's', k, o.suite, file, argv, argc);
	else if (strcmp(cmd, "hash") == 0) {
		if ((fd = open(argv[0], O_RDONLY)) < 0) {
			perror(argv[0]);
			rc = EX_NOINPUT;
		} else if ((e = cms_hash_fd(o.suite, fd, md, &mdlen, err,
		    sizeof(err))) != CMS_OK) {
			fprintf(stderr, "cmstool: %s\n", err);
			rc = exit_code(e);
		} else {
			for (i = 0; i < mdlen; i++)
				printf("%02x", md[i]);
			printf("\n");
			rc = 0;
		}
		if (fd >= 0)
			close(fd);
	} else if (strcmp(cmd, "detect") == 0) {
		uint8_t	 head[64];
		ssize_t	 n;

		if ((fd = open(argv[0], O_RDONLY)) < 0 ||
		    (n = read(fd, head, sizeof(head))) < 0) {
			perror(argv[0]);
			rc = EX_NOINPUT;
		} else {
			char	 lt[8];

			printf("%s\n", layers_text(cms_detect(head, (size_t)n),
			    lt));
			rc = 0;
		}
		if (fd >= 0)
			close(fd);
	} else
		usage();
	cms_keys_free(k);
	return rc;
}
