/*
 * bench/create-bench: time one command for bench/create.
 *
 *   create-bench -l PREFIX CMD ARGS...   microseconds from fork until CMD
 *                                        prints a line starting with PREFIX
 *                                        (stdout or stderr); CMD's process
 *                                        group is then ended with SIGTERM
 *   create-bench CMD ARGS...             microseconds until CMD exits 0
 *
 * Prints "USECS LINE" (the matched line, or "exit"). CMD runs with stdin
 * on /dev/null in a process group of its own. Exits 1, with what CMD
 * printed, if CMD fails, ends without the line or takes over 60 s.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LIMIT_MS 60000

static long long now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

/* The first complete line of out[0, len) that starts with prefix. */
static char *find_line(char *out, size_t len, const char *prefix)
{
    size_t plen = strlen(prefix);

    for (char *s = out, *nl; (nl = memchr(s, '\n', out + len - s));
         s = nl + 1) {
        if ((size_t)(nl - s) >= plen && !memcmp(s, prefix, plen)) {
            *nl = '\0';
            if (nl > s && nl[-1] == '\r')
                nl[-1] = '\0';
            return s;
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    const char *prefix = NULL;
    static char out[1 << 16];
    size_t len = 0;
    char *line = NULL;
    long long start;
    int fds[2], status, argi = 1;
    bool eof = false;
    pid_t pid;

    if (argc > 2 && !strcmp(argv[1], "-l")) {
        prefix = argv[2];
        argi = 3;
    }
    if (argi >= argc) {
        fprintf(stderr, "usage: %s [-l PREFIX] CMD ARGS...\n", argv[0]);
        return 2;
    }
    if (pipe2(fds, O_CLOEXEC)) {
        perror("pipe");
        return 1;
    }
    start = now_us();
    pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (!pid) {
        int null = open("/dev/null", O_RDONLY);

        setpgid(0, 0);
        if (null < 0 || dup2(null, 0) < 0 || dup2(fds[1], 1) < 0 ||
            dup2(fds[1], 2) < 0)
            _exit(127);
        execvp(argv[argi], argv + argi);
        perror(argv[argi]);
        _exit(127);
    }
    setpgid(pid, pid); /* also here: the child may not have run yet */
    close(fds[1]);

    /* Read until the line (or, without -l, until the end of output). */
    while (!eof && !(prefix && line)) {
        struct pollfd p = {.fd = fds[0], .events = POLLIN};
        long long left = LIMIT_MS - (now_us() - start) / 1000;
        ssize_t n;

        if (left <= 0 || poll(&p, 1, left) == 0)
            break;
        n = read(fds[0], out + len, sizeof(out) - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || len + n == sizeof(out) - 1) {
            eof = true;
            n = n > 0 ? n : 0;
        }
        len += n;
        if (prefix)
            line = find_line(out, len, prefix);
    }
    if (line) {
        long long us = now_us() - start;

        kill(-pid, SIGTERM);
        waitpid(pid, &status, 0);
        printf("%lld %s\n", us, line);
        return 0;
    }
    if (!prefix && eof) {
        waitpid(pid, &status, 0);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
            printf("%lld exit\n", now_us() - start);
            return 0;
        }
    } else {
        kill(-pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    out[len] = '\0';
    fprintf(stderr, "create-bench: %s %s (status %#x); its output:\n%s\n",
            argv[argi], prefix ? "gave no such line" : "failed", status, out);
    return 1;
}
