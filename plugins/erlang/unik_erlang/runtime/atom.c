/*
 * atom.c — the atom table: the image's atoms (their order is fixed at build
 * time, so code holds atom numbers directly) plus atoms made at run time
 * (list_to_atom and friends), found by name through an open hash table.
 */
#include <stdlib.h>
#include <string.h>
#include "vm.h"

static const char **names;
static uint32_t *lens;
static uint64_t count, cap;
static uint64_t *hash_slots;    /* atom index + 1; 0 = empty */
static uint64_t hash_cap;

static uint64_t hash_name(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (uint8_t)s[i]) * 1099511628211ULL;
    return h;
}

static void hash_insert(uint64_t idx)
{
    uint64_t h = hash_name(names[idx], lens[idx]) & (hash_cap - 1);
    while (hash_slots[h])
        h = (h + 1) & (hash_cap - 1);
    hash_slots[h] = idx + 1;
}

static void rehash(void)
{
    free(hash_slots);
    hash_cap = hash_cap ? hash_cap * 2 : 1024;
    while (hash_cap < count * 2)
        hash_cap *= 2;
    hash_slots = calloc(hash_cap, sizeof(uint64_t));
    if (hash_slots == NULL)
        fatal("out of memory (atoms)");
    for (uint64_t i = 0; i < count; i++)
        hash_insert(i);
}

static void add(const char *s, size_t n)
{
    if (count == cap) {
        cap = cap ? cap * 2 : 1024;
        names = realloc(names, cap * sizeof(char *));
        lens = realloc(lens, cap * sizeof(uint32_t));
        if (names == NULL || lens == NULL)
            fatal("out of memory (atoms)");
    }
    names[count] = s;
    lens[count] = (uint32_t)n;
    count++;
    if (count * 2 > hash_cap)
        rehash();
    else
        hash_insert(count - 1);
}

void atoms_init(void)
{
    const uint8_t *t = erl_atom_text;
    for (uint64_t i = 0; i < erl_atom_count; i++) {
        size_t n = t[0] | ((size_t)t[1] << 8);
        add((const char *)t + 2, n);
        t += 2 + n;
    }
}

const char *atom_name(Term a, size_t *len)
{
    uint64_t i = atom_index(a);
    if (i >= count) {
        *len = 1;
        return "?";
    }
    *len = lens[i];
    return names[i];
}

Term atom_from(const char *s, size_t n, int create)
{
    uint64_t h = hash_name(s, n) & (hash_cap - 1);
    while (hash_slots[h]) {
        uint64_t i = hash_slots[h] - 1;
        if (lens[i] == n && memcmp(names[i], s, n) == 0)
            return make_atom(i);
        h = (h + 1) & (hash_cap - 1);
    }
    if (!create)
        return NONV;
    if (n > 255 || count >= 1048576)
        return NONV;
    char *copy = malloc(n + 1);
    if (copy == NULL)
        fatal("out of memory (atoms)");
    memcpy(copy, s, n);
    copy[n] = 0;
    add(copy, n);
    return make_atom(count - 1);
}

uint64_t atoms_total(void) { return count; }
