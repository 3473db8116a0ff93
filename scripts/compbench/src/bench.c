/*
 * Userspace benchmark of the Linux 6.12 zram compressors on 4 KiB pages.
 *
 *   bench gen-eater R NPAGES OUT      write NPAGES "eater" pages (see gen_eater)
 *   bench run PAGEFILE SIZES_OUT REPS  compress/decompress every page with
 *                                     lz4, lzo, lzo-rle, zstd; verify; time;
 *                                     JSON to stdout, per-page sizes (uint32,
 *                                     [alg][page]) to SIZES_OUT
 *
 * Calls mirror drivers/block/zram/backend_*.c + zcomp.c of Linux 6.12:
 *   src_len = PAGE_SIZE, dst_len = 2*PAGE_SIZE for compression,
 *   dst_len = PAGE_SIZE for decompression.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#define ZSTD_STATIC_LINKING_ONLY /* for ZSTD_getParams (kernel: zstd_get_params) */
#include <zstd.h>

#define PAGE_SIZE 4096
#define DST_LEN (2 * PAGE_SIZE)

/* ---- kernel prototypes (include/linux/lz4.h, include/linux/lzo.h) ---- */
int LZ4_compress_fast(const char *source, char *dest, int inputSize,
		      int maxOutputSize, int acceleration, void *wrkmem);
int LZ4_decompress_safe(const char *source, char *dest, int compressedSize,
			int maxDecompressedSize);
int lzo1x_1_compress(const unsigned char *src, size_t src_len,
		     unsigned char *dst, size_t *dst_len, void *wrkmem);
int lzorle1x_1_compress(const unsigned char *src, size_t src_len,
			unsigned char *dst, size_t *dst_len, void *wrkmem);
int lzo1x_decompress_safe(const unsigned char *src, size_t src_len,
			  unsigned char *dst, size_t *dst_len);
/* LZ4_MEM_COMPRESS = LZ4_STREAMSIZE = ((1<<(14-3))+4)*8 ; LZO1X_1_MEM_COMPRESS = 8192*2 */
#define LZ4_MEM_COMPRESS ((((1 << (14 - 3)) + 4)) * 8)
#define LZO1X_1_MEM_COMPRESS (8192 * sizeof(unsigned short))
#define LZ4_ACCELERATION_DEFAULT 1

static void *lz4_wrkmem, *lzo_wrkmem;
static ZSTD_CCtx *zcctx;
static ZSTD_DCtx *zdctx;
static ZSTD_parameters zprm;	/* = zstd_get_params(level, PAGE_SIZE) */
static int zstd_level;

enum { A_LZ4, A_LZO, A_LZORLE, A_ZSTD, NALG };
static const char *alg_name[NALG] = { "lz4", "lzo", "lzo-rle", "zstd" };

/* returns compressed length, or -1 on error */
static int do_compress(int alg, const unsigned char *src, unsigned char *dst)
{
	size_t dlen = DST_LEN;
	int ret;
	size_t zr;

	switch (alg) {
	case A_LZ4: /* backend_lz4.c: LZ4_compress_fast(src, dst, src_len, dst_len, params->level(=1), mem) */
		ret = LZ4_compress_fast((const char *)src, (char *)dst, PAGE_SIZE,
					DST_LEN, LZ4_ACCELERATION_DEFAULT, lz4_wrkmem);
		return ret ? ret : -1;
	case A_LZO:
		ret = lzo1x_1_compress(src, PAGE_SIZE, dst, &dlen, lzo_wrkmem);
		return ret == 0 ? (int)dlen : -1;
	case A_LZORLE:
		ret = lzorle1x_1_compress(src, PAGE_SIZE, dst, &dlen, lzo_wrkmem);
		return ret == 0 ? (int)dlen : -1;
	case A_ZSTD: /* lib/zstd/zstd_compress_module.c: zstd_compress_cctx() */
		ZSTD_CCtx_reset(zcctx, ZSTD_reset_session_and_parameters);
		ZSTD_CCtx_setPledgedSrcSize(zcctx, PAGE_SIZE);
		ZSTD_CCtx_setParameter(zcctx, ZSTD_c_windowLog, zprm.cParams.windowLog);
		ZSTD_CCtx_setParameter(zcctx, ZSTD_c_hashLog, zprm.cParams.hashLog);
		ZSTD_CCtx_setParameter(zcctx, ZSTD_c_chainLog, zprm.cParams.chainLog);
		ZSTD_CCtx_setParameter(zcctx, ZSTD_c_searchLog, zprm.cParams.searchLog);
		ZSTD_CCtx_setParameter(zcctx, ZSTD_c_minMatch, zprm.cParams.minMatch);
		ZSTD_CCtx_setParameter(zcctx, ZSTD_c_targetLength, zprm.cParams.targetLength);
		ZSTD_CCtx_setParameter(zcctx, ZSTD_c_strategy, zprm.cParams.strategy);
		ZSTD_CCtx_setParameter(zcctx, ZSTD_c_contentSizeFlag, zprm.fParams.contentSizeFlag);
		ZSTD_CCtx_setParameter(zcctx, ZSTD_c_checksumFlag, zprm.fParams.checksumFlag);
		ZSTD_CCtx_setParameter(zcctx, ZSTD_c_dictIDFlag, !zprm.fParams.noDictIDFlag);
		zr = ZSTD_compress2(zcctx, dst, DST_LEN, src, PAGE_SIZE);
		return ZSTD_isError(zr) ? -1 : (int)zr;
	}
	return -1;
}

/* returns 0 on success (and decompressed length == PAGE_SIZE) */
static int do_decompress(int alg, const unsigned char *src, int slen, unsigned char *dst)
{
	size_t dlen = PAGE_SIZE;
	int ret;
	size_t zr;

	switch (alg) {
	case A_LZ4:
		ret = LZ4_decompress_safe((const char *)src, (char *)dst, slen, PAGE_SIZE);
		return ret == PAGE_SIZE ? 0 : -1;
	case A_LZO:
	case A_LZORLE:
		ret = lzo1x_decompress_safe(src, slen, dst, &dlen);
		return (ret == 0 && dlen == PAGE_SIZE) ? 0 : -1;
	case A_ZSTD:
		zr = ZSTD_decompressDCtx(zdctx, dst, PAGE_SIZE, src, slen);
		return (!ZSTD_isError(zr) && zr == PAGE_SIZE) ? 0 : -1;
	}
	return -1;
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* eater pages: first R bytes (R/8 uint64 words) from xorshift64, seed 12345,
 * stream continues across pages; rest zero; last byte = 1 */
static int gen_eater(int R, long npages, const char *out)
{
	uint64_t s = 12345;
	unsigned char page[PAGE_SIZE];
	FILE *f = fopen(out, "wb");
	long p;
	int w;

	if (!f)
		return perror(out), 1;
	for (p = 0; p < npages; p++) {
		memset(page, 0, PAGE_SIZE);
		for (w = 0; w < R / 8; w++) {
			s ^= s << 13;
			s ^= s >> 7;
			s ^= s << 17;
			memcpy(page + 8 * w, &s, 8);
		}
		page[PAGE_SIZE - 1] = 1;
		fwrite(page, PAGE_SIZE, 1, f);
	}
	fclose(f);
	return 0;
}

static int run(const char *pagefile, const char *sizesout, int reps)
{
	FILE *f = fopen(pagefile, "rb");
	long n, i;
	int a, r;
	unsigned char *in, *out, *tmp;
	uint32_t *sizes;
	size_t *off;
	double comp[NALG][64], decomp[NALG][64];
	long mism[NALG] = { 0 }, errs[NALG] = { 0 };
	volatile long sink = 0;

	if (!f)
		return perror(pagefile), 1;
	fseek(f, 0, SEEK_END);
	n = ftell(f) / PAGE_SIZE;
	fseek(f, 0, SEEK_SET);
	if (reps > 64)
		reps = 64;
	if (posix_memalign((void **)&in, PAGE_SIZE, n * PAGE_SIZE) ||
	    posix_memalign((void **)&out, PAGE_SIZE, n * PAGE_SIZE) ||
	    posix_memalign((void **)&tmp, PAGE_SIZE, DST_LEN))
		return fprintf(stderr, "oom\n"), 1;
	if (fread(in, PAGE_SIZE, n, f) != (size_t)n)
		return fprintf(stderr, "short read\n"), 1;
	fclose(f);
	sizes = calloc((size_t)NALG * n, sizeof(*sizes));
	off = calloc((size_t)NALG * (n + 1), sizeof(*off));
	unsigned char *cb[NALG];
	long expect_sum[NALG];

	for (a = 0; a < NALG; a++) {
		/* untimed pass: sizes, keep compressed streams, verify every page */
		size_t *o = off + (size_t)a * (n + 1);

		cb[a] = malloc((size_t)n * (PAGE_SIZE + 512));
		o[0] = 0;
		expect_sum[a] = 0;
		for (i = 0; i < n; i++) {
			int len = do_compress(a, in + i * PAGE_SIZE, tmp);

			if (len < 0) {
				errs[a]++;
				len = 0;
			}
			sizes[(size_t)a * n + i] = len;
			expect_sum[a] += len;
			memcpy(cb[a] + o[i], tmp, len);
			o[i + 1] = o[i] + len;
		}
		cb[a] = realloc(cb[a], o[n] ? o[n] : 1);	/* pack */
		memset(out, 0xAA, n * PAGE_SIZE);
		for (i = 0; i < n; i++) {
			if (do_decompress(a, cb[a] + o[i], o[i + 1] - o[i], out + i * PAGE_SIZE))
				errs[a]++;
			if (memcmp(out + i * PAGE_SIZE, in + i * PAGE_SIZE, PAGE_SIZE))
				mism[a]++;
		}
	}

	/* timed passes: reps outer, algs inner (spreads background noise) */
	for (r = 0; r < reps; r++) {
		for (a = 0; a < NALG; a++) {
			size_t *o = off + (size_t)a * (n + 1);
			double t0, t1;
			long s = 0;

			t0 = now_ns();
			for (i = 0; i < n; i++)
				s += do_compress(a, in + i * PAGE_SIZE, tmp);
			t1 = now_ns();
			comp[a][r] = (t1 - t0) / n;
			if (s != expect_sum[a])
				errs[a]++;	/* compressed size not reproducible */
			sink += s;
			s = 0;

			t0 = now_ns();
			for (i = 0; i < n; i++)
				s += do_decompress(a, cb[a] + o[i], o[i + 1] - o[i], out + i * PAGE_SIZE);
			t1 = now_ns();
			decomp[a][r] = (t1 - t0) / n;
			if (s)
				errs[a]++;	/* a decompression failed */
			/* verify the timed decompression output too */
			if (memcmp(out, in, n * PAGE_SIZE))
				for (i = 0; i < n; i++)
					if (memcmp(out + i * PAGE_SIZE, in + i * PAGE_SIZE, PAGE_SIZE))
						mism[a]++;
		}
	}

	/* optional: one extra pass timing every page individually (PERPAGE=file);
	 * float32 [alg][comp|decomp][page] ns, clock_gettime overhead subtracted */
	if (getenv("PERPAGE")) {
		float *pp = malloc(sizeof(float) * 2 * NALG * n);
		double ovh, t0, t1, t2;
		double ov[1001];

		for (i = 0; i < 1001; i++) {
			t0 = now_ns();
			t1 = now_ns();
			ov[i] = t1 - t0;
		}
		qsort(ov, 1001, sizeof(double), cmp_dbl);
		ovh = ov[500];
		for (a = 0; a < NALG; a++) {
			size_t *o = off + (size_t)a * (n + 1);

			for (i = 0; i < n; i++) {
				t0 = now_ns();
				sink += do_compress(a, in + i * PAGE_SIZE, tmp);
				t1 = now_ns();
				sink += do_decompress(a, cb[a] + o[i], o[i + 1] - o[i], out + i * PAGE_SIZE);
				t2 = now_ns();
				pp[((size_t)a * 2 + 0) * n + i] = t1 - t0 - ovh;
				pp[((size_t)a * 2 + 1) * n + i] = t2 - t1 - ovh;
			}
		}
		f = fopen(getenv("PERPAGE"), "wb");
		fwrite(pp, sizeof(float), 2 * NALG * n, f);
		fclose(f);
		fprintf(stderr, "perpage: clock_gettime overhead %.1f ns subtracted\n", ovh);
	}

	f = fopen(sizesout, "wb");
	fwrite(sizes, sizeof(*sizes), (size_t)NALG * n, f);
	fclose(f);

	printf("{\"pagefile\": \"%s\", \"n_pages\": %ld, \"reps\": %d, \"zstd_version\": \"%s\", "
	       "\"zstd_level\": %d, \"zstd_cparams\": {\"windowLog\": %u, \"chainLog\": %u, \"hashLog\": %u, "
	       "\"searchLog\": %u, \"minMatch\": %u, \"targetLength\": %u, \"strategy\": %d}, \"algs\": {",
	       pagefile, n, reps, ZSTD_versionString(), zstd_level,
	       zprm.cParams.windowLog, zprm.cParams.chainLog, zprm.cParams.hashLog,
	       zprm.cParams.searchLog, zprm.cParams.minMatch, zprm.cParams.targetLength,
	       (int)zprm.cParams.strategy);
	for (a = 0; a < NALG; a++) {
		double cs[64], ds[64];
		double sum = 0;

		for (i = 0; i < n; i++)
			sum += sizes[(size_t)a * n + i];
		memcpy(cs, comp[a], sizeof(double) * reps);
		memcpy(ds, decomp[a], sizeof(double) * reps);
		qsort(cs, reps, sizeof(double), cmp_dbl);
		qsort(ds, reps, sizeof(double), cmp_dbl);
		printf("%s\"%s\": {\"mean_len\": %.3f, \"errors\": %ld, \"mismatches\": %ld, "
		       "\"comp_ns_median\": %.1f, \"decomp_ns_median\": %.1f, \"comp_ns_reps\": [",
		       a ? ", " : "", alg_name[a], sum / n, errs[a], mism[a],
		       cs[reps / 2], ds[reps / 2]);
		for (r = 0; r < reps; r++)
			printf("%s%.1f", r ? ", " : "", comp[a][r]);
		printf("], \"decomp_ns_reps\": [");
		for (r = 0; r < reps; r++)
			printf("%s%.1f", r ? ", " : "", decomp[a][r]);
		printf("]}");
	}
	printf("}, \"sink\": %ld}\n", (long)sink);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && !strcmp(argv[1], "gen-eater"))
		return gen_eater(atoi(argv[2]), atol(argv[3]), argv[4]);

	lz4_wrkmem = malloc(LZ4_MEM_COMPRESS);
	lzo_wrkmem = malloc(LZO1X_1_MEM_COMPRESS);
	zcctx = ZSTD_createCCtx();
	zdctx = ZSTD_createDCtx();
	/* backend_zstd.c: level = zstd_default_clevel() = ZSTD_defaultCLevel() = 3
	 * unless set via algorithm_params; cprm = zstd_get_params(level, PAGE_SIZE) */
	zstd_level = getenv("ZSTD_LEVEL") ? atoi(getenv("ZSTD_LEVEL")) : ZSTD_defaultCLevel();
	zprm = ZSTD_getParams(zstd_level, PAGE_SIZE, 0);

	if (argc >= 5 && !strcmp(argv[1], "run"))
		return run(argv[2], argv[3], atoi(argv[4]));
	fprintf(stderr, "usage: bench gen-eater R NPAGES OUT | bench run PAGEFILE SIZES_OUT REPS\n");
	return 2;
}
