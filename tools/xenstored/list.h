/*
 * Intrusive doubly linked lists (circular, with a head node), shared by
 * xenstored and libxenstore.
 */
#ifndef XS_LIST_H
#define XS_LIST_H

#include <stddef.h>
#include <stdbool.h>

struct list {
    struct list *prev, *next;
};

#define LIST_INIT(name)                                                        \
    {                                                                          \
        &(name), &(name)                                                       \
    }

#define list_entry(ptr, type, member)                                          \
    ((type *)((char *)(ptr)-offsetof(type, member)))

#define list_first(head, type, member)                                         \
    ((head)->next == (head) ? NULL : list_entry((head)->next, type, member))

#define list_for_each(pos, head, type, member)                                 \
    for (pos = list_entry((head)->next, type, member); &pos->member != (head); \
         pos = list_entry(pos->member.next, type, member))

/* Safe against removal of pos. */
#define list_for_each_safe(pos, n, head, type, member)                         \
    for (pos = list_entry((head)->next, type, member),                         \
        n = list_entry(pos->member.next, type, member);                        \
         &pos->member != (head);                                               \
         pos = n, n = list_entry(n->member.next, type, member))

static inline void list_init(struct list *l)
{
    l->prev = l->next = l;
}

static inline bool list_empty(const struct list *l)
{
    return l->next == l;
}

static inline void list_add_tail(struct list *l, struct list *head)
{
    l->prev = head->prev;
    l->next = head;
    head->prev->next = l;
    head->prev = l;
}

static inline void list_del(struct list *l)
{
    l->prev->next = l->next;
    l->next->prev = l->prev;
    l->prev = l->next = l;
}

/* Is l on a list? (Entries are initialised and reset to point at self.) */
static inline bool list_linked(const struct list *l)
{
    return l->next != l;
}

#endif
