/* Log files: log_dir/guest-NAME.log and log_dir/hypervisor.log. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "xenconsoled.h"

#define ESC 0x1b

static int write_all(int fd, const char *data, size_t len)
{
    while (len) {
        ssize_t n = write(fd, data, len);

        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        len -= n;
    }
    return 0;
}

/* write_all, with ESC written as '.' under --replace-escape. */
static int write_text(int fd, const char *data, size_t len)
{
    const char *esc;

    while (replace_escape && (esc = memchr(data, ESC, len))) {
        if (write_all(fd, data, esc - data) || write_all(fd, ".", 1))
            return -1;
        len -= esc + 1 - data;
        data = esc + 1;
    }
    return write_all(fd, data, len);
}

int log_write(int fd, const char *data, size_t len, bool timestamp,
              bool *need_ts)
{
    const char *end = data + len;
    char ts[32];
    size_t ts_len;
    struct tm tm;
    time_t now;

    if (!timestamp)
        return write_text(fd, data, len);
    now = time(NULL);
    ts_len = strftime(ts, sizeof(ts), "[%Y-%m-%d %H:%M:%S] ",
                      localtime_r(&now, &tm));
    while (data < end) {
        const char *nl = memchr(data, '\n', end - data);
        const char *line_end = nl ? nl + 1 : end;

        if (*need_ts && write_all(fd, ts, ts_len))
            return -1;
        if (write_text(fd, data, line_end - data))
            return -1;
        *need_ts = nl != NULL;
        data = line_end;
        /* "\n\r" from a guest would start the next line with a stray \r. */
        while (nl && data < end && *data == '\r')
            data++;
    }
    return 0;
}

int log_open(const char *name, bool timestamp, bool *need_ts)
{
    static const char opened[] = "Logfile Opened\n";
    char path[PATH_MAX];
    int fd;

    if (snprintf(path, sizeof(path), "%s/%s", log_dir, name) >=
        (int)sizeof(path)) {
        dolog(LOG_ERR, "Log path %s/%s is too long", log_dir, name);
        return -1;
    }
    fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        dolog(LOG_ERR, "Failed to open log %s: %d (%s)", path, errno,
              strerror(errno));
        return -1;
    }
    *need_ts = true;
    if (timestamp &&
        log_write(fd, opened, sizeof(opened) - 1, true, need_ts) < 0) {
        dolog(LOG_ERR, "Failed to log opening timestamp in %s: %d (%s)", path,
              errno, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}
