/*
 * The screens of the channels (channels.py, precision.py) over a whole list of automaton
 * matches at once.
 *
 * On text full of ordinary words an automaton pass yields dozens of candidates per KB and
 * most are dropped by a screen that reads a few characters of a view; one Python call
 * chain per candidate cost ten times the automaton pass that found it. Here each list of
 * matches is screened in one call: what no rule can let through is dropped, a match that
 * is the term written exactly comes back as a hit span, and only the rest goes on to the
 * full check in Python. The rules are precision.py's and check.py's, which stay the
 * definition; a test runs the engine with and without this module on the same texts and
 * compares every hit.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define N_CODES 0x110000

typedef struct {
    PyObject_HEAD
    Py_buffer spaced;   /* uint8 by code point: a letter or digit of a spaced script */
    Py_buffer cls;      /* uint8 by code point: tables.CharClass */
    Py_buffer flags;    /* uint8 by code point: COMMON | NATURAL | TERMINAL */
    Py_buffer pairs;    /* sorted uint64 (a << 16 | b): Han pairs found inside words (tables.pairs_zh) */
    Py_buffer words2;   /* sorted uint64 (a << 16 | b): two-character dictionary words (tables.words2_zh) */
    PyObject *words;    /* frozenset of everyday Chinese words (tables.words_zh) */
    PyObject *near;     /* dict: character -> frozenset of its look-alikes (lookalike.neighbours) */
    PyObject *fold;     /* dict: code point -> folded code point (tables.fold) */
    int held;
    uint8_t ignore;     /* CharClass.IGNORE: this class and those above are removed before matching */
    uint8_t mark;       /* CharClass.MARK: this class and those above are removed marks */
    Py_ssize_t max_gap; /* gaps.MAX_GAP */
    Py_ssize_t reach;   /* gaps.COMBINING_REACH */
} Screens;

#define COMMON 1   /* one of the commonest Han characters (tables.common_zh) */
#define NATURAL 2  /* punctuation ordinary sentences put between words (gaps.NATURAL_PUNCTUATION) */
#define TERMINAL 4 /* sentence-final punctuation (tables.terminals) */

static int
take(PyObject *obj, Py_buffer *buf, Py_ssize_t itemsize, Py_ssize_t min_len, const char *name)
{
    if (PyObject_GetBuffer(obj, buf, PyBUF_C_CONTIGUOUS) < 0)
        return -1;
    if (buf->len % itemsize || buf->len / itemsize < min_len) {
        PyErr_Format(PyExc_ValueError, "%s: expected at least %zd items of %zd bytes", name, min_len, itemsize);
        PyBuffer_Release(buf);
        return -1;
    }
    return 0;
}

static void
Screens_release(Screens *self)
{
    Py_buffer *bufs[5] = {&self->spaced, &self->cls, &self->flags, &self->pairs, &self->words2};
    for (int i = 0; i < self->held; i++)
        PyBuffer_Release(bufs[i]);
    self->held = 0;
    Py_CLEAR(self->words);
    Py_CLEAR(self->near);
    Py_CLEAR(self->fold);
}

static int
Screens_init(Screens *self, PyObject *args, PyObject *kwds)
{
    PyObject *spaced, *cls, *flags, *pairs, *words2, *words, *near, *fold;
    unsigned char ignore, mark;
    Py_ssize_t max_gap, reach;
    static char *kwlist[] = {"spaced", "cls", "flags", "pairs", "words2", "words", "near", "fold", "ignore", "mark",
                             "max_gap", "reach", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOOOO!O!O!bbnn", kwlist, &spaced, &cls, &flags, &pairs, &words2,
                                     &PyFrozenSet_Type, &words, &PyDict_Type, &near, &PyDict_Type, &fold, &ignore,
                                     &mark, &max_gap, &reach))
        return -1;
    Screens_release(self);
    PyObject *objs[5] = {spaced, cls, flags, pairs, words2};
    Py_buffer *bufs[5] = {&self->spaced, &self->cls, &self->flags, &self->pairs, &self->words2};
    Py_ssize_t sizes[5] = {1, 1, 1, 8, 8}, mins[5] = {N_CODES, N_CODES, N_CODES, 0, 0};
    const char *names[5] = {"spaced", "cls", "flags", "pairs", "words2"};
    for (int i = 0; i < 5; i++) {
        if (take(objs[i], bufs[i], sizes[i], mins[i], names[i]) < 0) {
            Screens_release(self);
            return -1;
        }
        self->held = i + 1;
    }
    self->words = Py_NewRef(words);
    self->near = Py_NewRef(near);
    self->fold = Py_NewRef(fold);
    self->ignore = ignore;
    self->mark = mark;
    self->max_gap = max_gap;
    self->reach = reach;
    return 0;
}

static void
Screens_dealloc(Screens *self)
{
    Screens_release(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* ------------------------------------------------------------------ table look-ups */

static inline int
in_sorted(const Py_buffer *buf, uint64_t key)
{
    const uint64_t *a = buf->buf;
    Py_ssize_t lo = 0, hi = buf->len / 8;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (a[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < buf->len / 8 && a[lo] == key;
}

static inline uint64_t
pair_key(Py_UCS4 a, Py_UCS4 b)
{
    return ((uint64_t)a << 16) | (uint64_t)b;
}

static inline int
flag(const Screens *self, Py_UCS4 c, uint8_t which)
{
    return c < N_CODES && (((const uint8_t *)self->flags.buf)[c] & which);
}

static inline int
is_common(const Screens *self, Py_UCS4 c)
{
    return flag(self, c, COMMON);
}

/* tables.fold_char; (Py_UCS4)-1 on error. */
static Py_UCS4
fold_char(const Screens *self, Py_UCS4 c)
{
    PyObject *key = PyLong_FromUnsignedLong(c);
    if (key == NULL)
        return (Py_UCS4)-1;
    PyObject *v = PyDict_GetItemWithError(self->fold, key);
    Py_DECREF(key);
    if (v == NULL)
        return PyErr_Occurred() ? (Py_UCS4)-1 : c;
    unsigned long f = PyLong_AsUnsignedLong(v);
    return f == (unsigned long)-1 && PyErr_Occurred() ? (Py_UCS4)-1 : (Py_UCS4)f;
}

static inline uint8_t
class_of(const Screens *self, Py_UCS4 c)
{
    return c < N_CODES ? ((const uint8_t *)self->cls.buf)[c] : 0;
}

/* Is the str of the n code points at cps an everyday word? -1 on error. */
static int
is_word(const Screens *self, const Py_UCS4 *cps, Py_ssize_t n)
{
    PyObject *s = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, cps, n);
    if (s == NULL)
        return -1;
    int rc = PySet_Contains(self->words, s);
    Py_DECREF(s);
    return rc;
}

/* Does the look-alike table pair a with b (lookalike.is_lookalike)? -1 on error. */
static int
is_lookalike(const Screens *self, Py_UCS4 a, Py_UCS4 b)
{
    PyObject *ka = PyUnicode_FromOrdinal(a);
    if (ka == NULL)
        return -1;
    PyObject *set = PyDict_GetItemWithError(self->near, ka);
    Py_DECREF(ka);
    if (set == NULL)
        return PyErr_Occurred() ? -1 : 0;
    PyObject *kb = PyUnicode_FromOrdinal(b);
    if (kb == NULL)
        return -1;
    int rc = PySet_Contains(set, kb);
    Py_DECREF(kb);
    return rc;
}

/* ------------------------------------------------------------------ one match */

typedef struct {
    int kind;
    const void *data;
    Py_ssize_t n;
} Str;

static inline Str
str_of(PyObject *s)
{
    Str r = {PyUnicode_KIND(s), PyUnicode_DATA(s), PyUnicode_GET_LENGTH(s)};
    return r;
}

#define AT(str, i) PyUnicode_READ((str).kind, (str).data, (i))
#define MAX_TERM 64 /* longer terms are left to Python */

/* Read the (start, end, pid) of one match; 0 on a malformed item. */
static int
read_match(PyObject *item, Py_ssize_t *s, Py_ssize_t *e, Py_ssize_t *pid)
{
    if (!PyTuple_Check(item) || PyTuple_GET_SIZE(item) != 3)
        return 0;
    *s = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 0));
    *e = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 1));
    *pid = PyLong_AsSsize_t(PyTuple_GET_ITEM(item, 2));
    return !PyErr_Occurred();
}

/* precision.edges_free: does neither end of a contiguous match form a word with the
 * character right beside it? 1 free, 0 not, -1 error. */
static int
edges_free(const Screens *self, Str lit, const int64_t *dmap, Py_ssize_t s, Py_ssize_t e, const Py_UCS4 *written,
           Str term)
{
    const Py_ssize_t n = e - s;
    if (s > 0 && dmap[s - 1] == dmap[s] - 1) {
        Py_UCS4 two[2] = {AT(lit, s - 1), written[0]};
        int w = is_word(self, two, 2);
        if (w != 0)
            return w < 0 ? -1 : 0;
        if (written[0] != AT(term, 0) && in_sorted(&self->words2, pair_key(two[0], two[1])))
            return 0;
    }
    if (e < lit.n && dmap[e] == dmap[e - 1] + 1) {
        Py_UCS4 two[2] = {written[n - 1], AT(lit, e)};
        int w = is_word(self, two, 2);
        if (w != 0)
            return w < 0 ? -1 : 0;
        if (written[n - 1] != AT(term, term.n - 1) && in_sorted(&self->words2, pair_key(two[0], two[1])))
            return 0;
    }
    return 1;
}

/* Is the written match no everyday word, and free at both edges (precision.edges_free)? */
static int
apart(const Screens *self, Str lit, const int64_t *dmap, Py_ssize_t s, Py_ssize_t e, const Py_UCS4 *written,
      Str term)
{
    int w = is_word(self, written, e - s);
    if (w != 0)
        return w < 0 ? -1 : 0;
    return edges_free(self, lit, dmap, s, e, written, term);
}

/* precision.sound_may_hit: can the sound match literal[s:e] of the all-Han term be a hit? */
static int
sound_may_hit(const Screens *self, Str lit, const int64_t *dmap, Py_ssize_t s, Py_ssize_t e, Str term,
              const Py_UCS4 *written)
{
    const Py_ssize_t n = term.n;
    int same = 1;
    for (Py_ssize_t k = 0; k < n; k++)
        if (written[k] != AT(term, k)) {
            same = 0;
            break;
        }
    if (same)
        return 1;
    const int contiguous = dmap[e - 1] - dmap[s] == e - s - 1;
    if (n == 2) {
        Py_UCS4 changed;
        if (written[0] != AT(term, 0)) {
            if (written[1] != AT(term, 1))
                return 0;
            changed = written[0];
        } else {
            changed = written[1];
        }
        if (!contiguous)
            return 1;
        if (is_common(self, changed) || in_sorted(&self->pairs, pair_key(written[0], written[1])))
            return 0;
    } else {
        Py_ssize_t diff = 0;
        int common = 0;
        for (Py_ssize_t k = 0; k < n; k++)
            if (written[k] != AT(term, k)) {
                diff++;
                common |= is_common(self, written[k]);
            }
        if (diff >= n || diff > (n + 1) / 2)
            return 0;
        if (!contiguous)
            return 1;
        if (common)
            return 0;
        return apart(self, lit, dmap, s, e, written, term);
    }
    return edges_free(self, lit, dmap, s, e, written, term);
}

/* precision.look_may_hit: can the look-alike match literal[s:e] of the term be a hit? */
static int
look_may_hit(const Screens *self, Str lit, const int64_t *dmap, Py_ssize_t s, Py_ssize_t e, Str term,
             const Py_UCS4 *written)
{
    const Py_ssize_t n = term.n;
    if (e - s != n)
        return 0;
    Py_ssize_t changed = -1, count = 0;
    for (Py_ssize_t k = 0; k < n; k++)
        if (written[k] != AT(term, k)) {
            changed = k;
            count++;
        }
    if (count == 0)
        return 1;
    if (count > 1)
        return 0;
    int near = is_lookalike(self, AT(term, changed), written[changed]);
    if (near <= 0)
        return near;
    if (dmap[e - 1] - dmap[s] != e - s - 1)
        return 1;
    if (n == 2 && in_sorted(&self->pairs, pair_key(written[0], written[1])))
        return 0;
    return apart(self, lit, dmap, s, e, written, term);
}

/* Is the contiguous match at text[a:a + n] the term's units written as they are, with no
 * removed mark after it (check.ScanContext.check_units with nothing to name)? */
static int
written_exactly(const Screens *self, Str text, Py_ssize_t a, Str units)
{
    if (a + units.n > text.n)
        return 0;
    for (Py_ssize_t k = 0; k < units.n; k++)
        if (AT(text, a + k) != AT(units, k))
            return 0;
    const Py_ssize_t end = a + units.n;
    return end >= text.n || class_of(self, AT(text, end)) < self->mark;
}

/* Is the contiguous match at text[a:a + n] the term's units with some ASCII letters written
 * in capitals and nothing else changed, no removed mark after it (check.ScanContext._word_term:
 * the only technique it names is ``case``, where the tables name A-Z so)? */
static int
written_in_capitals(const Screens *self, Str text, Py_ssize_t a, Str units)
{
    if (a + units.n > text.n)
        return 0;
    int capitals = 0;
    for (Py_ssize_t k = 0; k < units.n; k++) {
        const Py_UCS4 c = AT(text, a + k), u = AT(units, k);
        if (c == u)
            continue;
        if (c < 'A' || c > 'Z' || c + ('a' - 'A') != u)
            return 0;
        capitals = 1;
    }
    const Py_ssize_t end = a + units.n;
    return capitals && (end >= text.n || class_of(self, AT(text, end)) < self->mark);
}

#define WORD_CLASS 0 /* CharClass.WORD */

/* precision._word_beside: is the first character from i on in direction step that matching
 * does not remove a letter, digit or Han character? */
static int
word_beside(const Screens *self, Str txt, Py_ssize_t i, int step)
{
    for (Py_ssize_t r = 0; r < self->reach; r++, i += step) {
        if (i < 0 || i >= txt.n)
            return 0;
        const uint8_t k = class_of(self, AT(txt, i));
        if (k == WORD_CLASS)
            return 1;
        if (k < self->ignore)
            return 0;
    }
    return 0;
}

/* Is fold(a) + fold(b) an everyday word? -1 on error. */
static int
folded_word(const Screens *self, Py_UCS4 a, Py_UCS4 b)
{
    Py_UCS4 two[2] = {fold_char(self, a), fold_char(self, b)};
    if (two[0] == (Py_UCS4)-1 || two[1] == (Py_UCS4)-1)
        return -1;
    return is_word(self, two, 2);
}

/* A sound match of an all-Han term with visible noise between some of its characters and
 * nothing removed: does the full check (check.ScanContext.check_units) reject it? 1 it
 * does, 0 it may not (the full check reads it), -1 on error. What it reads: at most max_gap
 * runs of noise per gap (gaps.Gap), no end of a sentence inside
 * (precision.crosses_sentence_end), and — when only sentence punctuation lies between, and
 * not between every character — no character changed and neither end forming an everyday
 * word with its neighbour (precision.edges_in_words). */
static int
gapped_rejected(const Screens *self, Str txt, const int64_t *dmap, Py_ssize_t s, Py_ssize_t e, Str units,
                Str folded, const Py_UCS4 *written)
{
    const Py_ssize_t n = e - s, start = dmap[s], end = dmap[e - 1] + 1;
    int changed = 0; /* a character written for another that sounds alike, or not at all like it */
    for (Py_ssize_t k = 0; k < n; k++) {
        if (dmap[s + k] >= txt.n)
            return 0;
        if (AT(txt, dmap[s + k]) == AT(units, k))
            continue;
        if (written[k] == AT(folded, k))
            return 0; /* the same character folded: the full check names how */
        changed = 1;
    }
    if (end < txt.n && class_of(self, AT(txt, end)) >= self->mark)
        return 0; /* marks after the last character: the full check takes them in */
    int deliberate = 0, terminal = 0;
    Py_ssize_t visible = 0;
    for (Py_ssize_t k = 1; k < n; k++) {
        const Py_ssize_t a = dmap[s + k - 1] + 1, b = dmap[s + k];
        if (b <= a)
            continue;
        Py_ssize_t runs = 0;
        int natural = 1;
        Py_UCS4 prev = 0;
        for (Py_ssize_t i = a; i < b; i++) {
            const Py_UCS4 c = AT(txt, i);
            if (class_of(self, c) >= self->ignore)
                return 0; /* removed characters: the full check names them */
            if (i == a || c != prev)
                runs++;
            prev = c;
            natural &= flag(self, c, NATURAL) != 0;
            if (flag(self, c, TERMINAL) && (c != '.' || (i + 1 < b && Py_UNICODE_ISSPACE(AT(txt, i + 1)))))
                terminal = 1;
        }
        if (runs > self->max_gap)
            return 1;
        deliberate |= !natural;
        visible++;
    }
    if (visible == 0)
        return 0;
    if (terminal && word_beside(self, txt, start - 1, -1) && word_beside(self, txt, end, 1))
        return 1; /* two sentences, each with one end of the match */
    if (deliberate || (visible >= 2 && visible == n - 1))
        return 0;
    if (changed)
        return 1; /* a homophone across sentence punctuation: two words that happen to sound alike */
    if (start > 0) {
        int w = folded_word(self, AT(txt, start - 1), AT(txt, start));
        if (w != 0)
            return w;
    }
    if (end < txt.n) {
        int w = folded_word(self, AT(txt, end - 1), AT(txt, end));
        if (w != 0)
            return w;
    }
    return 0;
}

/* tables.is_han */
static inline int
is_han(Py_UCS4 c)
{
    return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x323AF);
}

/* Is every character of the match in the text a Han character? */
static int
all_han(Str txt, const int64_t *dmap, Py_ssize_t s, Py_ssize_t e)
{
    for (Py_ssize_t k = s; k < e; k++)
        if (dmap[k] >= txt.n || !is_han(AT(txt, dmap[k])))
            return 0;
    return 1;
}

#define ACROSS_MIN 3 /* precision.ACROSS */
#define ACROSS_MAX 5

/* precision.words_across: does an everyday word of ACROSS_MIN..ACROSS_MAX characters run
 * across either end of a sound match of an all-Han term — a changed character (written
 * differs from folded) among its part inside, the rest in the Han characters beside the
 * match in the text? Only for a match with a changed character, read as the full check reads
 * it (each unit at dmap[s + k], folded). 1 yes, 0 no, -1 on error. */
static int
words_across(const Screens *self, Str txt, const int64_t *dmap, Py_ssize_t s, Py_ssize_t e, const Py_UCS4 *written,
             Str folded)
{
    const Py_ssize_t n = e - s;
    Py_ssize_t first = -1, last = -1;
    for (Py_ssize_t k = 0; k < n; k++)
        if (written[k] != AT(folded, k)) {
            if (first < 0)
                first = k;
            last = k;
        }
    if (first < 0)
        return 0;
    /* the Han characters beside the match, folded, up to the first one that is not Han */
    enum { REACH = ACROSS_MAX - 1 };
    Py_UCS4 before[REACH], after[REACH];
    Py_ssize_t nb = 0, na = 0;
    const Py_ssize_t a = dmap[s], b = dmap[e - 1] + 1;
    for (Py_ssize_t i = a - 1; i >= 0 && i >= a - REACH && is_han(AT(txt, i)); i--) {
        Py_UCS4 f = fold_char(self, AT(txt, i));
        if (f == (Py_UCS4)-1)
            return -1;
        before[REACH - 1 - nb++] = f; /* filled from the end: before + REACH - nb reads in order */
    }
    for (Py_ssize_t i = b; i < txt.n && i < b + REACH && is_han(AT(txt, i)); i++) {
        Py_UCS4 f = fold_char(self, AT(txt, i));
        if (f == (Py_UCS4)-1)
            return -1;
        after[na++] = f;
    }
    Py_UCS4 word[ACROSS_MAX];
    for (Py_ssize_t len = ACROSS_MIN; len <= ACROSS_MAX; len++) {
        const Py_ssize_t top = len < n + 1 ? len : n + 1;
        for (Py_ssize_t k = 1; k < top; k++) { /* k characters inside, len - k outside */
            const Py_ssize_t out = len - k;
            if (first < k && out <= nb) {
                memcpy(word, before + REACH - out, out * sizeof(Py_UCS4));
                memcpy(word + out, written, k * sizeof(Py_UCS4));
                int w = is_word(self, word, len);
                if (w != 0)
                    return w;
            }
            if (last >= n - k && out <= na) {
                memcpy(word, written + n - k, k * sizeof(Py_UCS4));
                memcpy(word + k, after, out * sizeof(Py_UCS4));
                int w = is_word(self, word, len);
                if (w != 0)
                    return w;
            }
        }
    }
    return 0;
}

static int
dense_map(PyObject *obj, Py_buffer *buf, Py_ssize_t n)
{
    if (PyObject_GetBuffer(obj, buf, PyBUF_C_CONTIGUOUS) < 0)
        return -1;
    if (buf->len != n * 8) {
        PyErr_SetString(PyExc_ValueError, "the map must hold one int64 per character of the view");
        PyBuffer_Release(buf);
        return -1;
    }
    return 0;
}

static int
append3(PyObject *list, Py_ssize_t a, Py_ssize_t b, Py_ssize_t c)
{
    PyObject *t = Py_BuildValue("(nnn)", a, b, c);
    if (t == NULL)
        return -1;
    int rc = PyList_Append(list, t);
    Py_DECREF(t);
    return rc;
}

/* ------------------------------------------------------------------ methods */

/* What the screens know of the patterns of one automaton and of the terms (screens.py
 * ``Entries``): per pattern id an int64, the index of the one term the screen applies to,
 * -2 - index for such a term that is never exact without the full check, -1 for a pattern
 * left to Python, and -3 - offset for a pattern several terms share: multi[offset] is how
 * many, and each of the next values is one of theirs in the pattern's order, coded as
 * above (-1: that term is checked unscreened); per term its folded form and its units. */
typedef struct {
    Py_buffer ids, multi;
    PyObject *folded, *units;
} Entries;

static int
entries_of(PyObject *obj, Entries *en)
{
    PyObject *ids, *multi;
    if (!PyTuple_Check(obj) || !PyArg_ParseTuple(obj, "OOO!O!", &ids, &multi, &PyTuple_Type, &en->folded,
                                                 &PyTuple_Type, &en->units)) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError, "entries must be (ids, multi, folded, units)");
        return -1;
    }
    if (PyTuple_GET_SIZE(en->folded) != PyTuple_GET_SIZE(en->units)) {
        PyErr_SetString(PyExc_ValueError, "entries: one folded form and one unit string per term");
        return -1;
    }
    if (PyObject_GetBuffer(ids, &en->ids, PyBUF_C_CONTIGUOUS) < 0)
        return -1;
    if (PyObject_GetBuffer(multi, &en->multi, PyBUF_C_CONTIGUOUS) < 0) {
        PyBuffer_Release(&en->ids);
        return -1;
    }
    if (en->ids.len % 8 || en->multi.len % 8) {
        PyErr_SetString(PyExc_ValueError, "entries: ids and multi must be int64");
        PyBuffer_Release(&en->ids);
        PyBuffer_Release(&en->multi);
        return -1;
    }
    return 0;
}

static void
entries_release(Entries *en)
{
    PyBuffer_Release(&en->ids);
    PyBuffer_Release(&en->multi);
}

/* The entry of pattern ``pid``: 1 with its term's strings, 0 for a pattern left to Python,
 * -1 on error. ``exact`` is cleared for a term that is never exact without the full check. */
static int
term_entry(const Entries *en, int64_t v, Str *folded, Str *units, Py_ssize_t *idx, int *exact)
{
    if (v == -1)
        return 0;
    *exact = v >= 0;
    *idx = v >= 0 ? v : -2 - v;
    if (*idx >= PyTuple_GET_SIZE(en->folded)) {
        PyErr_SetString(PyExc_IndexError, "term index out of range");
        return -1;
    }
    PyObject *f = PyTuple_GET_ITEM(en->folded, *idx), *u = PyTuple_GET_ITEM(en->units, *idx);
    if (!PyUnicode_Check(f) || !PyUnicode_Check(u)) {
        PyErr_SetString(PyExc_TypeError, "entries: terms' folded forms and units must be str");
        return -1;
    }
    *folded = str_of(f);
    *units = str_of(u);
    return folded->n > 0 && folded->n <= MAX_TERM && units->n == folded->n;
}

/* sound(matches, literal, dense_map, text, entries) -> (exact, screened, other)
 * look(matches, literal, dense_map, text, entries) -> (exact, screened, other)
 *
 * A match of a pattern the screen applies to (``Entries``) that the screen rejects is
 * dropped; a sound match that is the term written exactly comes back in ``exact`` as
 * (start, end, term index) in the text; a look-alike match written with the term's own
 * characters is dropped (the sound channel has it); the others come back in ``screened``,
 * as they came. Matches of the other patterns come back in ``other``, unscreened. */
/* One term of a match: screened, then exact (1), passed on (2) or dropped (0); -1 on error. */
static int
one_term(const Screens *self, Str lit, const int64_t *dmap, Str txt, Py_ssize_t s, Py_ssize_t e, Str folded,
         Str units, int exact_ok, int look)
{
    Py_UCS4 written[MAX_TERM];
    if (!look && e - s != folded.n)
        return 3; /* not a pattern of its characters one by one: left to Python as it came */
    const Py_ssize_t n = e - s < MAX_TERM ? e - s : MAX_TERM;
    for (Py_ssize_t k = 0; k < n; k++)
        written[k] = AT(lit, s + k);
    int ok = look ? look_may_hit(self, lit, dmap, s, e, folded, written)
                  : sound_may_hit(self, lit, dmap, s, e, folded, written);
    if (ok <= 0)
        return ok;
    int same = 1;
    for (Py_ssize_t k = 0; k < folded.n; k++)
        if (written[k] != AT(folded, k)) {
            same = 0;
            break;
        }
    if (same && look) {
        /* the term's own characters, noise or not between them: the sound channel has this
         * very match (every Han term has the sound pattern of its characters as written) */
        Py_ssize_t k = 0;
        while (k < n && dmap[s + k] < txt.n && AT(txt, dmap[s + k]) == AT(units, k))
            k++;
        if (k == n)
            return 0;
    }
    if (!look && !same) {
        /* a longer everyday word across an end (precision.plausible_change's first rule) */
        int across = words_across(self, txt, dmap, s, e, written, folded);
        if (across)
            return across < 0 ? -1 : 0;
    }
    if (look && exact_ok && dmap[e - 1] - dmap[s] != e - s - 1 && all_han(txt, dmap, s, e)) {
        /* a look-alike across punctuation is rejected as a homophone is (``gapped_rejected``):
         * among Han characters, the full check reads its gaps the same way */
        int rejected = gapped_rejected(self, txt, dmap, s, e, units, folded, written);
        if (rejected)
            return rejected < 0 ? -1 : 0;
    }
    if (!look && exact_ok) {
        if (dmap[e - 1] - dmap[s] != e - s - 1) {
            int rejected = gapped_rejected(self, txt, dmap, s, e, units, folded, written);
            if (rejected)
                return rejected < 0 ? -1 : 0;
        } else if (same && written_exactly(self, txt, dmap[s], units)) {
            return 1;
        }
    }
    return 2;
}

/* sound(matches, literal, dense_map, text, entries) -> (exact, screened, shared, other)
 * look(matches, literal, dense_map, text, entries) -> (exact, screened, shared, other)
 *
 * A match of a pattern the screen applies to (``Entries``) that the screen rejects is
 * dropped; a sound match that is the term written exactly comes back in ``exact`` as
 * (term index, start, end) in the text; a look-alike match written with the term's own
 * characters is dropped (the sound channel has it); the others come back in ``screened``,
 * as they came, or for a pattern several terms share in ``shared`` as (start, end, pattern
 * id, k) for its k-th term. Matches of the other patterns come back in ``other``,
 * unscreened. */
static PyObject *
screen(Screens *self, PyObject *args, int look)
{
    PyObject *matches, *literal, *dmap_obj, *text, *entries;
    if (!PyArg_ParseTuple(args, "O!UOUO", &PyList_Type, &matches, &literal, &dmap_obj, &text, &entries))
        return NULL;
    const Str lit = str_of(literal), txt = str_of(text);
    Entries en;
    if (entries_of(entries, &en) < 0)
        return NULL;
    Py_buffer mapbuf;
    if (dense_map(dmap_obj, &mapbuf, lit.n) < 0) {
        entries_release(&en);
        return NULL;
    }
    const int64_t *dmap = mapbuf.buf, *ids = en.ids.buf, *multi = en.multi.buf;
    const Py_ssize_t n_ids = en.ids.len / 8, n_multi = en.multi.len / 8;
    PyObject *exact = PyList_New(0), *screened = PyList_New(0), *shared = PyList_New(0), *other = PyList_New(0);
    PyObject *result = NULL;
    if (exact == NULL || screened == NULL || shared == NULL || other == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(matches); i++) {
        PyObject *item = PyList_GET_ITEM(matches, i);
        Py_ssize_t s, e, pid;
        if (!read_match(item, &s, &e, &pid) || s < 0 || e > lit.n || s >= e || pid < 0 || pid >= n_ids) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "a match must be (start, end, pattern id) inside the view");
            goto done;
        }
        const int64_t v = ids[pid];
        Py_ssize_t first = 0, count = 1;
        if (v <= -3) {
            first = -3 - v;
            if (first >= n_multi || multi[first] < 0 || first + 1 + multi[first] > n_multi) {
                PyErr_SetString(PyExc_IndexError, "entries: shared pattern out of range");
                goto done;
            }
            count = multi[first];
            first++;
        }
        for (Py_ssize_t j = 0; j < count; j++) {
            Str folded, units;
            Py_ssize_t idx = -1;
            int exact_ok = 0;
            int has = term_entry(&en, v <= -3 ? multi[first + j] : v, &folded, &units, &idx, &exact_ok);
            if (has < 0)
                goto done;
            int got = has ? one_term(self, lit, dmap, txt, s, e, folded, units, exact_ok, look) : 2;
            if (got < 0)
                goto done;
            if (got == 1) {
                if (append3(exact, idx, dmap[s], dmap[s] + units.n) < 0)
                    goto done;
            } else if (got >= 2) {
                int rc;
                if (v <= -3) {
                    PyObject *t = Py_BuildValue("(nnnn)", s, e, pid, j);
                    rc = t == NULL ? -1 : PyList_Append(shared, t);
                    Py_XDECREF(t);
                } else {
                    rc = PyList_Append(has && got == 2 ? screened : other, item);
                }
                if (rc < 0)
                    goto done;
            }
        }
    }
    result = PyTuple_Pack(4, exact, screened, shared, other);
done:
    PyBuffer_Release(&mapbuf);
    entries_release(&en);
    Py_XDECREF(exact);
    Py_XDECREF(screened);
    Py_XDECREF(shared);
    Py_XDECREF(other);
    return result;
}

/* words(matches, view, view_map, text, entries) -> (exact, cased, rest)
 *
 * The matches that are whole words of the view (no letter of a spaced script either side);
 * of those, a word written exactly as a term of one ref (``entries``, coded as for the
 * screens) comes back in ``exact`` as (term index, start, end) in the text, one written so
 * with some ASCII letters in capitals (``written_in_capitals``) likewise in ``cased``, the
 * others in ``rest`` as they came. ``view_map`` is None for a view that deleted nothing. */
static PyObject *
Screens_words(Screens *self, PyObject *args)
{
    PyObject *matches, *view, *vmap_obj, *text, *entries;
    if (!PyArg_ParseTuple(args, "O!UOUO", &PyList_Type, &matches, &view, &vmap_obj, &text, &entries))
        return NULL;
    const Str v = str_of(view), txt = str_of(text);
    const uint8_t *spaced = self->spaced.buf;
    Entries en;
    if (entries_of(entries, &en) < 0)
        return NULL;
    Py_buffer mapbuf = {0};
    const int64_t *vmap = NULL;
    if (vmap_obj != Py_None) {
        if (dense_map(vmap_obj, &mapbuf, v.n) < 0) {
            entries_release(&en);
            return NULL;
        }
        vmap = mapbuf.buf;
    } else if (v.n != txt.n) {
        PyErr_SetString(PyExc_ValueError, "a view without a map is as long as its text");
        entries_release(&en);
        return NULL;
    }
    const int64_t *ids = en.ids.buf;
    const Py_ssize_t n_ids = en.ids.len / 8;
    PyObject *exact = PyList_New(0), *cased = PyList_New(0), *rest = PyList_New(0), *result = NULL;
    if (exact == NULL || cased == NULL || rest == NULL)
        goto done;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(matches); i++) {
        PyObject *item = PyList_GET_ITEM(matches, i);
        Py_ssize_t s, e, pid;
        if (!read_match(item, &s, &e, &pid) || s < 0 || e > v.n || s >= e || pid < 0 || pid >= n_ids) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "a match must be (start, end, pattern id) inside the view");
            goto done;
        }
        if (s > 0) {
            Py_UCS4 c = AT(v, s - 1);
            if (c < N_CODES && spaced[c])
                continue;
        }
        if (e < v.n) {
            Py_UCS4 c = AT(v, e);
            if (c < N_CODES && spaced[c])
                continue;
        }
        Str folded, units;
        Py_ssize_t idx = -1;
        int exact_ok = 0;
        const int64_t code = ids[pid] <= -3 ? -1 : ids[pid];
        int has = term_entry(&en, code, &folded, &units, &idx, &exact_ok);
        if (has < 0)
            goto done;
        const Py_ssize_t a = vmap ? vmap[s] : s, b = vmap ? vmap[e - 1] + 1 : e;
        const int whole = has && exact_ok && b - a == e - s && units.n == e - s;
        if (whole && written_exactly(self, txt, a, units)) {
            if (append3(exact, idx, a, b) < 0)
                goto done;
        } else if (whole && written_in_capitals(self, txt, a, units)) {
            if (append3(cased, idx, a, b) < 0)
                goto done;
        } else if (PyList_Append(rest, item) < 0) {
            goto done;
        }
    }
    result = PyTuple_Pack(3, exact, cased, rest);
done:
    if (vmap != NULL)
        PyBuffer_Release(&mapbuf);
    entries_release(&en);
    Py_XDECREF(exact);
    Py_XDECREF(cased);
    Py_XDECREF(rest);
    return result;
}

static PyObject *
Screens_sound(Screens *self, PyObject *args)
{
    return screen(self, args, 0);
}

static PyObject *
Screens_look(Screens *self, PyObject *args)
{
    return screen(self, args, 1);
}

static PyMethodDef Screens_methods[] = {
    {"words", (PyCFunction)Screens_words, METH_VARARGS,
     "words(matches, view, view_map, text, entries) -> (exact, cased, rest): the matches that are whole words\n"
     "of the view (no spaced letter either side), those written exactly as their term, or with ASCII capitals, apart."},
    {"sound", (PyCFunction)Screens_sound, METH_VARARGS,
     "sound(matches, literal, dense_map, text, entries) -> (exact, screened, shared, other):\n"
     "precision.sound_may_hit."},
    {"look", (PyCFunction)Screens_look, METH_VARARGS,
     "look(matches, literal, dense_map, text, entries) -> (exact, screened, shared, other):\n"
     "precision.look_may_hit; a match written as the term itself is dropped (the sound channel has it)."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject ScreensType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "interceptor.engine._check.Screens",
    .tp_doc = "Screens(spaced, cls, flags, pairs, words2, words, near, fold, ignore, mark, max_gap, reach):\n"
              "the channels' screens over the tables.",
    .tp_basicsize = sizeof(Screens),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Screens_init,
    .tp_dealloc = (destructor)Screens_dealloc,
    .tp_methods = Screens_methods,
};

/* ------------------------------------------------------------------ hits */

/* Hits(cls, defaults): makes the hits of the spans written exactly, as instances of
 * ``cls`` (types.Hit, a frozen dataclass with slots) — what its generated __init__ does,
 * one slot at a time through the slots' own descriptors, without the Python call. The term,
 * category, tier and lang come from the lexicon's Term; ``defaults`` maps each other field
 * of ``cls`` that is neither start, end, matched nor variant to its default. */
#define MAX_FIELDS 16
enum { F_TERM, F_CATEGORY, F_TIER, F_LANG, F_START, F_END, F_MATCHED, F_VARIANT, N_OWN };
static const char *own_fields[N_OWN] = {"term", "category", "tier", "lang", "start", "end", "matched", "variant"};
static const char *term_attrs[4] = {"text", "category", "tier", "lang"};

typedef struct {
    PyObject_HEAD
    PyTypeObject *cls;
    PyObject *descr[MAX_FIELDS]; /* the slot descriptors: the own fields first, then the defaulted ones */
    PyObject *value[MAX_FIELDS]; /* the defaulted fields' values */
    PyObject *attr[4];           /* interned names of the Term attributes */
    PyObject *exact;             /* "exact" */
    Py_ssize_t n_fields;
} HitMaker;

static void
HitMaker_clear(HitMaker *self)
{
    for (Py_ssize_t i = 0; i < MAX_FIELDS; i++) {
        Py_CLEAR(self->descr[i]);
        Py_CLEAR(self->value[i]);
    }
    for (int i = 0; i < 4; i++)
        Py_CLEAR(self->attr[i]);
    Py_CLEAR(self->exact);
    Py_CLEAR(self->cls);
    self->n_fields = 0;
}

static int
HitMaker_init(HitMaker *self, PyObject *args, PyObject *kwds)
{
    PyObject *cls, *defaults;
    static char *kwlist[] = {"cls", "defaults", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "O!O!", kwlist, &PyType_Type, &cls, &PyDict_Type, &defaults))
        return -1;
    HitMaker_clear(self);
    if (N_OWN + PyDict_GET_SIZE(defaults) > MAX_FIELDS) {
        PyErr_SetString(PyExc_ValueError, "too many fields");
        return -1;
    }
    self->cls = (PyTypeObject *)Py_NewRef(cls);
    Py_ssize_t n = 0;
    for (int i = 0; i < N_OWN; i++) {
        PyObject *d = PyObject_GetAttrString(cls, own_fields[i]);
        if (d == NULL || Py_TYPE(d)->tp_descr_set == NULL) {
            Py_XDECREF(d);
            if (!PyErr_Occurred())
                PyErr_Format(PyExc_TypeError, "%s is not a slot", own_fields[i]);
            HitMaker_clear(self);
            return -1;
        }
        self->descr[n++] = d;
    }
    Py_ssize_t pos = 0;
    PyObject *key, *val;
    while (PyDict_Next(defaults, &pos, &key, &val)) {
        PyObject *d = PyObject_GetAttr(cls, key);
        if (d == NULL || Py_TYPE(d)->tp_descr_set == NULL) {
            Py_XDECREF(d);
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_TypeError, "a defaulted field is not a slot");
            HitMaker_clear(self);
            return -1;
        }
        self->descr[n] = d;
        self->value[n++] = Py_NewRef(val);
    }
    self->n_fields = n;
    for (int i = 0; i < 4; i++)
        if ((self->attr[i] = PyUnicode_InternFromString(term_attrs[i])) == NULL) {
            HitMaker_clear(self);
            return -1;
        }
    if ((self->exact = PyUnicode_InternFromString("exact")) == NULL) {
        HitMaker_clear(self);
        return -1;
    }
    return 0;
}

static void
HitMaker_dealloc(HitMaker *self)
{
    HitMaker_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* make(keys, terms, text) -> [Hit]: for each (term index, start, end) of ``keys``, the exact
 * hit of ``terms[index]`` (a lexicon Term) at text[start:end]. */
static PyObject *
HitMaker_make(HitMaker *self, PyObject *args)
{
    PyObject *keys, *terms, *text;
    if (!PyArg_ParseTuple(args, "OO!U", &keys, &PyTuple_Type, &terms, &text))
        return NULL;
    if (self->cls == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Hits was not initialised");
        return NULL;
    }
    PyObject *seq = PySequence_Fast(keys, "keys must be a sequence");
    if (seq == NULL)
        return NULL;
    const Py_ssize_t n = PySequence_Fast_GET_SIZE(seq), len = PyUnicode_GET_LENGTH(text);
    PyObject *out = PyList_New(n);
    if (out == NULL) {
        Py_DECREF(seq);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *key = PySequence_Fast_GET_ITEM(seq, i);
        Py_ssize_t idx, a, b;
        if (!read_match(key, &idx, &a, &b) || idx < 0 || idx >= PyTuple_GET_SIZE(terms) || a < 0 || b > len ||
            a > b) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "a key must be (term index, start, end) inside the text");
            goto fail;
        }
        PyObject *term = PyTuple_GET_ITEM(terms, idx);
        PyObject *hit = self->cls->tp_alloc(self->cls, 0);
        if (hit == NULL)
            goto fail;
        PyList_SET_ITEM(out, i, hit);
        PyObject *vals[N_OWN] = {NULL};
        for (int k = 0; k < 4; k++)
            if ((vals[k] = PyObject_GetAttr(term, self->attr[k])) == NULL)
                goto fail_vals;
        vals[F_START] = PyLong_FromSsize_t(a);
        vals[F_END] = PyLong_FromSsize_t(b);
        vals[F_MATCHED] = PyUnicode_Substring(text, a, b);
        vals[F_VARIANT] = Py_NewRef(self->exact);
        if (vals[F_START] == NULL || vals[F_END] == NULL || vals[F_MATCHED] == NULL)
            goto fail_vals;
        for (Py_ssize_t k = 0; k < self->n_fields; k++) {
            PyObject *d = self->descr[k], *v = k < N_OWN ? vals[k] : self->value[k];
            if (Py_TYPE(d)->tp_descr_set(d, hit, v) < 0)
                goto fail_vals;
        }
        for (int k = 0; k < N_OWN; k++)
            Py_DECREF(vals[k]);
        continue;
    fail_vals:
        for (int k = 0; k < N_OWN; k++)
            Py_XDECREF(vals[k]);
        goto fail;
    }
    Py_DECREF(seq);
    return out;
fail:
    Py_DECREF(seq);
    Py_DECREF(out);
    return NULL;
}

/* moved(items, text) -> [Hit]: for each (hit, start, end) of ``items``, the hit with that span
 * and matched == text[start:end], every other field as it was (dataclasses.replace without
 * its introspection). */
static PyObject *
HitMaker_moved(HitMaker *self, PyObject *args)
{
    PyObject *items, *text;
    if (!PyArg_ParseTuple(args, "OU", &items, &text))
        return NULL;
    if (self->cls == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "Hits was not initialised");
        return NULL;
    }
    PyObject *seq = PySequence_Fast(items, "items must be a sequence");
    if (seq == NULL)
        return NULL;
    const Py_ssize_t n = PySequence_Fast_GET_SIZE(seq), len = PyUnicode_GET_LENGTH(text);
    PyObject *out = PyList_New(n);
    if (out == NULL) {
        Py_DECREF(seq);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i), *old;
        Py_ssize_t a, b;
        if (!PyTuple_Check(item) || !PyArg_ParseTuple(item, "Onn", &old, &a, &b) || a < 0 || b > len || a > b ||
            Py_TYPE(old) != self->cls) {
            if (!PyErr_Occurred())
                PyErr_SetString(PyExc_ValueError, "an item must be (hit, start, end) inside the text");
            goto fail;
        }
        PyObject *hit = self->cls->tp_alloc(self->cls, 0);
        if (hit == NULL)
            goto fail;
        PyList_SET_ITEM(out, i, hit);
        for (Py_ssize_t k = 0; k < self->n_fields; k++) {
            PyObject *d = self->descr[k], *v;
            if (k == F_START)
                v = PyLong_FromSsize_t(a);
            else if (k == F_END)
                v = PyLong_FromSsize_t(b);
            else if (k == F_MATCHED)
                v = PyUnicode_Substring(text, a, b);
            else
                v = Py_TYPE(d)->tp_descr_get(d, old, (PyObject *)self->cls);
            if (v == NULL)
                goto fail;
            int rc = Py_TYPE(d)->tp_descr_set(d, hit, v);
            Py_DECREF(v);
            if (rc < 0)
                goto fail;
        }
    }
    Py_DECREF(seq);
    return out;
fail:
    Py_DECREF(seq);
    Py_DECREF(out);
    return NULL;
}

static PyMethodDef HitMaker_methods[] = {
    {"make", (PyCFunction)HitMaker_make, METH_VARARGS,
     "make(keys, terms, text) -> the exact hits of (term index, start, end) keys."},
    {"moved", (PyCFunction)HitMaker_moved, METH_VARARGS,
     "moved(items, text) -> each (hit, start, end) as the hit over that span of text."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject HitMakerType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "interceptor.engine._check.Hits",
    .tp_doc = "Hits(cls, defaults): makes exact hits without calling the class.",
    .tp_basicsize = sizeof(HitMaker),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)HitMaker_init,
    .tp_dealloc = (destructor)HitMaker_dealloc,
    .tp_methods = HitMaker_methods,
};

static struct PyModuleDef check_module = {
    .m_base = PyModuleDef_HEAD_INIT,
    .m_name = "_check",
    .m_doc = "The channels' screens over whole lists of matches (see channels.py).",
    .m_size = -1,
};

PyMODINIT_FUNC
PyInit__check(void)
{
    if (PyType_Ready(&ScreensType) < 0 || PyType_Ready(&HitMakerType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&check_module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddObjectRef(m, "Screens", (PyObject *)&ScreensType) < 0 ||
        PyModule_AddObjectRef(m, "Hits", (PyObject *)&HitMakerType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
