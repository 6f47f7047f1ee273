/*
 * NAME
 *	fuzz_cms - libFuzzer target for the CMS layer parsers
 * DESCRIPTION
 *	Runs the layer detector, the CompressedData parser (inflating into
 *	memory under a 1 MiB limit, which must hold) and, for inputs that
 *	look like a SignedData or EnvelopedData layer, the streaming parser
 *	of cms_unwrap() (through a memory file, without keys: the parse
 *	runs in full, OpenSSL is never reached with bad structure).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "oftp/cms.h"
#include "util/afile.h"

#define FUZZ_MAX_OUT	(1U << 20)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct cms_opts o;
	struct cms_result r;
	struct buf b;
	unsigned kind;
	char	 err[512];
	int	 in, out, e;

	kind = cms_detect(p, n);
	if (kind & ~CMS_LAYER_ALL || (kind & (kind - 1)) != 0)
		abort();
	buf_init(&b);
	e = cms_decompress_mem(p, n, &b, FUZZ_MAX_OUT, err, sizeof(err));
	if (b.len > FUZZ_MAX_OUT || (e == CMS_OK && kind !=
	    CMS_LAYER_COMPRESSED) || (e != CMS_OK && err[0] == '\0'))
		abort();
	buf_free(&b);
	if (kind == 0)
		return 0;
	if ((in = memfd_create("fuzz_cms_in", 0)) < 0)
		return 0;
	if ((out = memfd_create("fuzz_cms_out", 0)) < 0) {
		close(in);
		return 0;
	}
	if (write_all(in, p, n) == 0 && lseek(in, 0, SEEK_SET) == 0) {
		memset(&o, 0, sizeof(o));
		o.max_out = FUZZ_MAX_OUT;
		e = cms_unwrap(NULL, &o, in, out, &r, err, sizeof(err));
		/* reason 0 means "retry later" to oftp2x400; with memfds and
		 * no keys, only a missing key (EARG) may say so: an I/O
		 * error here would come from the input, and a file that
		 * makes one would be retried for ever */
		if (e != CMS_OK && r.reason == 0 && e != CMS_EARG)
			abort();
		if (r.out_bytes > FUZZ_MAX_OUT && e == CMS_OK &&
		    kind == CMS_LAYER_COMPRESSED)
			abort();
	}
	close(in);
	close(out);
	return 0;
}
