/*
 * NAME
 *	replay - run a fuzz target over saved inputs, without libFuzzer
 * SYNOPSIS
 *	replay_TARGET DIR|FILE ...
 * DESCRIPTION
 *	Linked with one tests/fuzz/fuzz_TARGET.c, built with ASan+UBSan by
 *	gcc, and run by make check over tests/fuzz/regress/TARGET (every
 *	crash input ever found) and tests/fuzz/seeds/TARGET. Prints one PASS
 *	line per input that runs through; a crash ends the program, which
 *	the test runner counts as a failure.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
replay_file(const char *path)
{
	FILE	*f;
	uint8_t	*p;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc(n > 0 ? (size_t)n : 1);
	if (p == NULL || fread(p, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(p);
		return -1;
	}
	fclose(f);
	/* An exact-size copy, so that ASan sees any read past the end. */
	LLVMFuzzerTestOneInput(p, (size_t)n);
	free(p);
	printf("PASS %s\n", path);
	fflush(stdout);
	return 0;
}

int
main(int argc, char **argv)
{
	struct dirent	**ents;
	struct stat	 st;
	char		 path[4096];
	int		 i, k, n, rc = 0;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) < 0)
			continue;
		if (!S_ISDIR(st.st_mode)) {
			if (replay_file(argv[i]) < 0)
				rc = 1;
			continue;
		}
		if ((n = scandir(argv[i], &ents, NULL, alphasort)) < 0)
			continue;
		for (k = 0; k < n; k++) {
			snprintf(path, sizeof(path), "%s/%s", argv[i],
			    ents[k]->d_name);
			if (ents[k]->d_name[0] != '.' &&
			    stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
			    replay_file(path) < 0) {
				printf("FAIL %s: cannot read\n", path);
				rc = 1;
			}
			free(ents[k]);
		}
		free(ents);
	}
	return rc;
}
