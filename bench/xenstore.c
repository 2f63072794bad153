/*
 * xenstore-bench: xenstore operations through our libxenstore against
 * the daemon at XENSTORED_PATH. Prints one line per measure:
 *   read NS         mean ns per read of an existing node
 *   write NS        per write of a new node (100 per directory)
 *   transaction NS  per start + write + commit
 *   directory NS    per listing of a 10-entry directory
 *   watch-p50 NS, watch-p99 NS  from a write to its event in another
 *                   thread's xs_read_watch (separate handles)
 * bench/xenstore runs it against our xenstored and Xen's and prints the
 * ratios.
 *
 * usage: xenstore-bench [ITERATIONS]
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xenstore.h>

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void die(const char *what)
{
    perror(what);
    exit(1);
}

static struct xs_handle *h;
static unsigned int iters = 10000;
static char run[32];

static void bench_read(void)
{
    uint64_t t0;
    unsigned int len;

    if (!xs_write(h, XBT_NULL, "/bench/r", "value", 5))
        die("write");
    for (unsigned int i = 0; i < 200; i++)
        free(xs_read(h, XBT_NULL, "/bench/r", &len));
    t0 = now_ns();
    for (unsigned int i = 0; i < iters; i++) {
        void *v = xs_read(h, XBT_NULL, "/bench/r", &len);
        if (!v)
            die("read");
        free(v);
    }
    printf("read %llu\n", (unsigned long long)((now_ns() - t0) / iters));
}

static void bench_write(void)
{
    char path[96];
    uint64_t t0 = now_ns();

    for (unsigned int i = 0; i < iters; i++) {
        snprintf(path, sizeof(path), "/bench/w/%s/%u/%u", run, i / 100,
                 i % 100);
        if (!xs_write(h, XBT_NULL, path, "value", 5))
            die("write");
    }
    printf("write %llu\n", (unsigned long long)((now_ns() - t0) / iters));
}

static void bench_transaction(void)
{
    char path[64];
    unsigned int n = iters / 4;
    uint64_t t0 = now_ns();

    for (unsigned int i = 0; i < n; i++) {
        xs_transaction_t t = xs_transaction_start(h);
        snprintf(path, sizeof(path), "/bench/tx/%u", i % 100);
        if (!t || !xs_write(h, t, path, "v", 1) ||
            !xs_transaction_end(h, t, false))
            die("transaction");
    }
    printf("transaction %llu\n", (unsigned long long)((now_ns() - t0) / n));
}

static void bench_directory(void)
{
    char path[64];
    unsigned int num;
    uint64_t t0;

    for (unsigned int i = 0; i < 10; i++) {
        snprintf(path, sizeof(path), "/bench/dir/entry%u", i);
        xs_write(h, XBT_NULL, path, "", 0);
    }
    t0 = now_ns();
    for (unsigned int i = 0; i < iters; i++) {
        char **d = xs_directory(h, XBT_NULL, "/bench/dir", &num);
        if (!d || num != 10)
            die("directory");
        free(d);
    }
    printf("directory %llu\n", (unsigned long long)((now_ns() - t0) / iters));
}

/* Watch latency: the writer stamps, the watcher measures. */
static struct xs_handle *wh;
static volatile uint64_t sent_at;
static unsigned int seen;
static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t seen_cond = PTHREAD_COND_INITIALIZER;
static uint64_t *lat;
static unsigned int nlat;

static void *watcher(void *arg)
{
    unsigned int num;

    (void)arg;
    for (unsigned int i = 0; i < nlat + 1; i++) {
        char **ev = xs_read_watch(wh, &num);
        if (!ev)
            die("read_watch");
        if (i > 0)
            lat[i - 1] = now_ns() - sent_at;
        free(ev);
        pthread_mutex_lock(&seen_lock);
        seen = i + 1;
        pthread_cond_signal(&seen_cond);
        pthread_mutex_unlock(&seen_lock);
    }
    return NULL;
}

static int cmp64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void bench_watch(void)
{
    pthread_t t;
    char val[16];

    nlat = iters / 5;
    lat = calloc(nlat, sizeof(*lat));
    wh = xs_open(0);
    if (!wh || !lat || !xs_watch(wh, "/bench/lat", "lat"))
        die("watch");
    pthread_create(&t, NULL, watcher, NULL);
    /* The writer sleeps until its event is seen, as another process
     * would: it must not take a CPU from the watcher or the daemon. */
    for (unsigned int i = 0; i <= nlat; i++) {
        pthread_mutex_lock(&seen_lock);
        while (seen < i + 1)
            pthread_cond_wait(&seen_cond, &seen_lock);
        pthread_mutex_unlock(&seen_lock);
        if (i == nlat)
            break;
        snprintf(val, sizeof(val), "%u", i);
        sent_at = now_ns();
        if (!xs_write(h, XBT_NULL, "/bench/lat", val, strlen(val)))
            die("write");
    }
    pthread_join(t, NULL);
    qsort(lat, nlat, sizeof(*lat), cmp64);
    printf("watch-p50 %llu\n", (unsigned long long)lat[nlat / 2]);
    printf("watch-p99 %llu\n", (unsigned long long)lat[nlat * 99 / 100]);
    xs_close(wh);
    free(lat);
}

int main(int argc, char **argv)
{
    if (argc > 1)
        iters = atoi(argv[1]);
    if (iters < 100)
        iters = 100;
    h = xs_open(0);
    if (!h)
        die("xs_open");
    snprintf(run, sizeof(run), "%llx", (unsigned long long)now_ns());
    bench_read();
    bench_write();
    bench_transaction();
    bench_directory();
    bench_watch();
    xs_close(h);
    return 0;
}
