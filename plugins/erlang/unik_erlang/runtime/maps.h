/*
 * maps.h — Erlang maps (maps.c). Two representations, as in BEAM:
 *
 * - flat (S_MAP), up to MAP_FLAT_MAX keys: [hdr MAP n+1][keys tuple][values …],
 *   keys in exact term order; iteration is term order.
 * - hashed (S_HMAP root, S_HNODE inner nodes) above MAP_FLAT_MAX keys: a
 *   persistent hash array mapped trie, 16 ways per level on BEAM's 32-bit
 *   internal hash of the key (map_hash.c; 4 bits per level, the low bits
 *   first; salted rehashes below level 8). A node is
 *   [hdr n+1][small: count << 16 | bitmap][entry …] where an entry is a leaf
 *   (a list cell [Key | Value]) or an inner node; count is the number of keys
 *   below. After 64 levels (never, in practice) a collision node (bitmap 0)
 *   holds its leaves in exact term order. The shape depends only on the key
 *   set, and iteration (maps:iterator/next, fold, printing) goes by ascending
 *   nibbles at each level: BEAM's order, so large maps print as in erl.
 *
 * Literal maps from the image are always flat, at any size; they iterate in
 * trie order all the same (a permutation cached per literal), and the first
 * update of a large one makes it hashed.
 *
 * Code outside maps.c reads maps only through this interface (map_size,
 * map_get, map_foreach / map_to_arrays / map_sorted, map_nth).
 */
#ifndef ERL_MAPS_H
#define ERL_MAPS_H

#include "vm.h"

#define MAP_FLAT_MAX 32

static inline int map_is_flat(Term m) { return box_subtag(m) == S_MAP; }
/* BEAM would hold this map as a trie (above 32 keys): maps:keys/values/to_list
   and term_to_binary list its pairs in reverse iteration order, as erl does */
static inline int map_is_hashed(Term m) { return box_arity(m) - 1 > MAP_FLAT_MAX || !map_is_flat(m); }
/* for flat maps only */
static inline Term flatmap_keys(Term m) { return box_ptr(m)[1]; }
static inline Term *flatmap_vals(Term m) { return box_ptr(m) + 2; }

uint64_t map_size(Term m);
Term map_get(Term m, Term key);                 /* NONV if absent */
Term map_new(Proc *p, Term *keys, Term *vals, uint64_t n);   /* any order; last key wins */
Term map_put(Proc *p, Term m, Term key, Term val);
Term map_remove(Proc *p, Term m, Term key);
/* put_map_assoc / put_map_exact: pairs of (key, value) operand words */
Term map_put_many(Proc *p, Term m, const uint64_t *pairs, uint64_t n, Term *E, int exact);

/* Every (key, value) in iteration order. */
typedef void MapVisit(Term key, Term val, void *ctx);
void map_foreach(Term m, MapVisit *fn, void *ctx);
/* keys and values in iteration order into arrays of map_size(m) terms */
void map_to_arrays(Term m, Term *keys, Term *vals);
/* both at once into a new malloc'd block that the caller frees (NULL for an
   empty map): blk = map_arrays(m, &keys, &vals); … free(blk); */
Term *map_arrays(Term m, Term **keys, Term **vals);
/* the same in exact term order of the keys (for comparison) */
void map_sorted(Term m, Term *keys, Term *vals);
/* the i-th pair in iteration order (i < map_size(m)) */
void map_nth(Term m, uint64_t i, Term *key, Term *val);
/* two hashed maps: 1 when equal (keys exactly, values by cmp(_, _, exact));
   0 says nothing about their order */
int hmap_equal(Term a, Term b, int exact, int (*cmp)(Term, Term, int));

int term_cmp_exact(Term a, Term b);
int term_eq_exact(Term a, Term b);
/* BEAM's internal hash of a key, salted for the trie levels 8·salt and below
   (map_hash.c; consistent with =:=) */
uint32_t map_key_hash(Term t, unsigned salt);

#endif
