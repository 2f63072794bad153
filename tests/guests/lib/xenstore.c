/*
 * A small xenstore client on the domain's ring (HVM_PARAM_STORE_PFN and
 * STORE_EVTCHN, as the toolstack's builder set them). One request at a
 * time; XS_WATCH_EVENT messages that arrive before a reply are queued
 * for xs_get_event(). The store port stays masked: we wait for it with
 * SCHEDOP_poll and clear its pending bit ourselves.
 */
#include "guest.h"

#include <public/io/xs_wire.h>

#define XS_EVENTS 4
#define XS_EVENT_MAX 256

static volatile struct xenstore_domain_interface *intf;
static struct pv_ring xs_ring;
static uint32_t xs_req_id;

/* Queued watch events: "path\0token\0". */
static struct {
    char text[XS_EVENT_MAX];
    unsigned int len;
} xs_events[XS_EVENTS];
static unsigned int xs_ev_head, xs_ev_count;

/* The reply being read: header, then payload (one NUL added). */
static struct xsd_sockmsg xs_hdr;
static char xs_body[XENSTORE_PAYLOAD_MAX + 1];

static const struct {
    const char *name;
    int err;
} xs_errnos[] = {
    {"EINVAL", EINVAL}, {"EACCES", EACCES},   {"EEXIST", EEXIST},
    {"EISDIR", 21},     {"ENOENT", ENOENT},   {"ENOMEM", ENOMEM},
    {"ENOSPC", ENOSPC}, {"EIO", EIO},         {"ENOTEMPTY", ENOTEMPTY},
    {"ENOSYS", ENOSYS}, {"EROFS", 30},        {"EBUSY", EBUSY},
    {"EAGAIN", EAGAIN}, {"EISCONN", EISCONN}, {"E2BIG", E2BIG},
    {"EPERM", EPERM},
};

int xs_init(void)
{
    int rc;

    if (intf)
        return 0;
    rc = pv_ring_init(&xs_ring, HVM_PARAM_STORE_PFN, HVM_PARAM_STORE_EVTCHN);
    if (!rc)
        intf = xs_ring.page;
    return rc;
}

evtchn_port_t xs_store_port(void)
{
    return xs_ring.port;
}

/* Wait (up to ~100 ms) for the store port to fire, then clear it. */
static void xs_wait(void)
{
    pv_ring_wait(&xs_ring, 100000000ULL);
}

static void xs_notify(void)
{
    pv_ring_notify(&xs_ring);
}

/* Copy len bytes into req[], waiting for room. */
static void ring_write(const void *data, uint32_t len)
{
    const char *p = data;

    while (len) {
        uint32_t cons = ACCESS_ONCE(intf->req_cons);
        uint32_t prod = ACCESS_ONCE(intf->req_prod);
        uint32_t room = XENSTORE_RING_SIZE - (prod - cons);
        uint32_t chunk = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod);

        if (room > XENSTORE_RING_SIZE)
            fail("xenstore: req indices %u/%u", cons, prod);
        if (!room) {
            xs_notify();
            xs_wait();
            continue;
        }
        if (chunk > room)
            chunk = room;
        if (chunk > len)
            chunk = len;
        memcpy((char *)intf->req + MASK_XENSTORE_IDX(prod), p, chunk);
        /* The bytes before the index that publishes them. */
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        ACCESS_ONCE(intf->req_prod) = prod + chunk;
        p += chunk;
        len -= chunk;
    }
    xs_notify();
}

/* Copy len bytes out of rsp[], waiting for them. */
static void ring_read(void *data, uint32_t len)
{
    char *p = data;

    while (len) {
        uint32_t cons = ACCESS_ONCE(intf->rsp_cons);
        uint32_t prod = ACCESS_ONCE(intf->rsp_prod);
        uint32_t avail = prod - cons;
        uint32_t chunk = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons);

        if (avail > XENSTORE_RING_SIZE)
            fail("xenstore: rsp indices %u/%u", cons, prod);
        if (!avail) {
            xs_wait();
            continue;
        }
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        if (chunk > avail)
            chunk = avail;
        if (chunk > len)
            chunk = len;
        memcpy(p, (const char *)intf->rsp + MASK_XENSTORE_IDX(cons), chunk);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        ACCESS_ONCE(intf->rsp_cons) = cons + chunk;
        /* The daemon may be waiting for room. */
        xs_notify();
        p += chunk;
        len -= chunk;
    }
}

/* Read one message into xs_hdr/xs_body. */
static void read_msg(void)
{
    ring_read(&xs_hdr, sizeof(xs_hdr));
    if (xs_hdr.len > XENSTORE_PAYLOAD_MAX)
        fail("xenstore: reply of %u bytes", xs_hdr.len);
    ring_read(xs_body, xs_hdr.len);
    xs_body[xs_hdr.len] = '\0';
}

static void queue_event(void)
{
    unsigned int slot;

    if (xs_ev_count == XS_EVENTS || xs_hdr.len > XS_EVENT_MAX)
        fail("xenstore: watch event queue overflow");
    slot = (xs_ev_head + xs_ev_count) % XS_EVENTS;
    memcpy(xs_events[slot].text, xs_body, xs_hdr.len);
    xs_events[slot].len = xs_hdr.len;
    xs_ev_count++;
}

static int errno_of(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(xs_errnos); i++)
        if (!strcmp(name, xs_errnos[i].name))
            return -xs_errnos[i].err;
    return -EIO;
}

/*
 * Send one request of type with the n strings of parts as payload (each
 * with its NUL unless it is the last and nul_last is false); wait for its
 * reply in xs_hdr/xs_body. Returns the payload length or -errno.
 */
static int request(uint32_t type, const char *const *parts, unsigned int n,
                   bool nul_last)
{
    struct xsd_sockmsg msg = {.type = type, .req_id = ++xs_req_id};
    int rc;

    if (!intf) {
        rc = -ENODEV;
        goto out;
    }
    for (unsigned int i = 0; i < n; i++)
        msg.len += strlen(parts[i]) + (i + 1 < n || nul_last);
    if (msg.len > XENSTORE_PAYLOAD_MAX) {
        rc = -E2BIG;
        goto out;
    }
    ring_write(&msg, sizeof(msg));
    for (unsigned int i = 0; i < n; i++)
        ring_write(parts[i], strlen(parts[i]) + (i + 1 < n || nul_last));
    for (;;) {
        read_msg();
        if (xs_hdr.type != XS_WATCH_EVENT)
            break;
        queue_event();
    }
    if (xs_hdr.req_id != msg.req_id)
        fail("xenstore: reply id %u, want %u", xs_hdr.req_id, msg.req_id);
    if (xs_hdr.type == XS_ERROR)
        rc = errno_of(xs_body);
    else if (xs_hdr.type != type)
        fail("xenstore: reply type %u to %u", xs_hdr.type, type);
    else
        rc = xs_hdr.len;
out:
    return rc;
}

int xs_read(const char *path, char *buf, size_t size)
{
    const char *parts[] = {path};
    int rc = request(XS_READ, parts, 1, true);

    if (rc >= 0 && size) {
        size_t n = (size_t)rc < size - 1 ? (size_t)rc : size - 1;

        memcpy(buf, xs_body, n);
        buf[n] = '\0';
    }
    return rc;
}

int xs_write(const char *path, const char *value)
{
    const char *parts[] = {path, value};
    int rc = request(XS_WRITE, parts, 2, false);

    return rc < 0 ? rc : 0;
}

int xs_watch(const char *path, const char *token)
{
    const char *parts[] = {path, token};
    int rc = request(XS_WATCH, parts, 2, true);

    return rc < 0 ? rc : 0;
}

int xs_get_event(char *path, size_t path_size, char *token, size_t token_size)
{
    const char *p, *t;
    unsigned int len;
    char *text;

    if (!intf)
        return -ENODEV;
    if (!xs_ev_count) {
        read_msg();
        if (xs_hdr.type != XS_WATCH_EVENT)
            fail("xenstore: message type %u without a request", xs_hdr.type);
        queue_event();
    }
    text = xs_events[xs_ev_head].text;
    len = xs_events[xs_ev_head].len;
    xs_ev_head = (xs_ev_head + 1) % XS_EVENTS;
    xs_ev_count--;
    /* "path\0token\0": both bounded by the event's length. */
    p = text;
    t = p + strnlen(p, len) + 1;
    if (t > text + len)
        t = text + len;
    snprintf(path, path_size, "%.*s", (int)strnlen(p, len), p);
    snprintf(token, token_size, "%.*s", (int)strnlen(t, text + len - t), t);
    return 0;
}
