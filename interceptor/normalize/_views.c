/*
 * The views of one text (views.py) in a single pass over its code points.
 *
 * views.py builds the same views with a dozen NumPy calls; each costs about a
 * microsecond whatever the text's length, and on the 1 KB texts a chat service checks
 * they were a third of the engine's time. This module reads each code point once, looks
 * it up in the tables that tables.py built (the same NumPy arrays, read through the
 * buffer protocol), and writes every view and map at once. It holds no data of its own:
 * views.py stays the definition, and a test compares the two on random text.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

#define GAP_MARK 0xF8FF /* the view's mark for a symbol read as a syllable (tables.SYMBOL_MARK), a gap */

/* A letter a respelling reads in the view: Latin a-z and ß, Greek, the Cyrillic letters the
 * view keeps, Hebrew, Arabic and Persian (normalize/tables.py RESPELL_LETTERS). */
static inline int
is_letter(uint32_t v)
{
    return (v >= 'a' && v <= 'z') || v == 0xDF || (v >= 0x3AC && v <= 0x3CE) || (v >= 0x430 && v <= 0x45F) ||
           v == 0x491 || (v >= 0x5D0 && v <= 0x5EA) || (v >= 0x620 && v <= 0x64A) || (v >= 0x671 && v <= 0x6D3);
}

/* A character of a token in the view: a letter, a digit or a leet symbol (engine/respelling.py _TOK). */
static inline int
is_token(uint32_t v)
{
    return is_letter(v) || (v >= '0' && v <= '9') || v == '@' || v == '$' || v == '!' || v == '|';
}

/* What the tables say about one code point, in one 16-byte entry: the BMP's 65,536 entries
 * (1 MB) make one cache line per character instead of five dependent table reads. */
typedef struct {
    uint32_t view, literal, shape;
    uint8_t keep, script;
    uint16_t kinds;
} Entry;

typedef struct {
    PyObject_HEAD
    Entry *bmp;        /* entries of the code points below 0x10000 */
    Py_buffer view;    /* uint32 by code point: view value, 0 = deleted */
    Py_buffer literal; /* uint32 by code point: folded character */
    Py_buffer shape;   /* uint32 by code point: shape class of the folded character */
    Py_buffer keep;    /* uint8 by view value: does the dense view keep it? */
    Py_buffer script;  /* uint8 by view value: 1 = syllable code, 2 = Latin letter */
    Py_buffer kinds;   /* uint16 by code point: the tables.Kind bits a character gives a text */
    int held;          /* how many buffers are held */
    uint8_t code_kind, latin_kind;
    Py_ssize_t max_run; /* the longest run of letters touching a code that script joins report */
} Builder;

static int
take_buffer(PyObject *obj, Py_buffer *buf, Py_ssize_t itemsize, const char *name)
{
    if (PyObject_GetBuffer(obj, buf, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT) < 0)
        return -1;
    if (buf->itemsize != itemsize || buf->ndim != 1) {
        PyErr_Format(PyExc_ValueError, "%s: expected a 1-d array of %zd-byte items", name, itemsize);
        PyBuffer_Release(buf);
        return -1;
    }
    return 0;
}

static void
Builder_release(Builder *self)
{
    Py_buffer *bufs[6] = {&self->view, &self->literal, &self->shape, &self->keep, &self->script, &self->kinds};
    for (int i = 0; i < self->held; i++)
        PyBuffer_Release(bufs[i]);
    self->held = 0;
}

static inline Entry
entry_of(const Builder *self, Py_UCS4 cp)
{
    const uint32_t v = ((const uint32_t *)self->view.buf)[cp];
    Entry e = {v, ((const uint32_t *)self->literal.buf)[cp], ((const uint32_t *)self->shape.buf)[cp],
               ((const uint8_t *)self->keep.buf)[v], ((const uint8_t *)self->script.buf)[v],
               ((const uint16_t *)self->kinds.buf)[cp]};
    return e;
}

static int
Builder_init(Builder *self, PyObject *args, PyObject *kwds)
{
    PyObject *view, *literal, *shape, *keep, *script, *kinds;
    unsigned char code_kind, latin_kind;
    Py_ssize_t max_run;
    static char *kwlist[] = {"view", "literal", "shape", "dense_keep", "script", "kinds", "code_kind", "latin_kind",
                             "max_run", NULL};
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOOOObbn", kwlist, &view, &literal, &shape, &keep, &script,
                                     &kinds, &code_kind, &latin_kind, &max_run))
        return -1;
    Builder_release(self);
    PyObject *objs[6] = {view, literal, shape, keep, script, kinds};
    Py_buffer *bufs[6] = {&self->view, &self->literal, &self->shape, &self->keep, &self->script, &self->kinds};
    Py_ssize_t sizes[6] = {4, 4, 4, 1, 1, 2};
    const char *names[6] = {"view", "literal", "shape", "dense_keep", "script", "kinds"};
    for (int i = 0; i < 6; i++) {
        if (take_buffer(objs[i], bufs[i], sizes[i], names[i]) < 0) {
            Builder_release(self);
            return -1;
        }
        self->held = i + 1;
    }
    if (self->view.shape[0] != self->literal.shape[0] || self->view.shape[0] != self->shape.shape[0] ||
        self->view.shape[0] < 0x110000 || self->keep.shape[0] < 0x110000 || self->script.shape[0] < 0x110000 ||
        self->kinds.shape[0] < 0x110000) {
        PyErr_SetString(PyExc_ValueError, "tables must cover every code point");
        Builder_release(self);
        return -1;
    }
    self->code_kind = code_kind;
    self->latin_kind = latin_kind;
    self->max_run = max_run;
    PyMem_Free(self->bmp);
    self->bmp = PyMem_Malloc(0x10000 * sizeof(Entry));
    if (self->bmp == NULL) {
        PyErr_NoMemory();
        Builder_release(self);
        return -1;
    }
    for (Py_UCS4 cp = 0; cp < 0x10000; cp++)
        self->bmp[cp] = entry_of(self, cp);
    return 0;
}

static void
Builder_dealloc(Builder *self)
{
    Builder_release(self);
    PyMem_Free(self->bmp);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int
append_index(PyObject *list, Py_ssize_t i)
{
    PyObject *pos = PyLong_FromSsize_t(i);
    if (pos == NULL)
        return -1;
    int rc = PyList_Append(list, pos);
    Py_DECREF(pos);
    return rc;
}

/* A str of the n UCS4 values at data, whose largest is maxc (so no scan to find it). */
static PyObject *
ucs4_str(const Py_UCS4 *data, Py_ssize_t n, Py_UCS4 maxc)
{
    PyObject *s = PyUnicode_New(n, maxc);
    if (s == NULL)
        return NULL;
    void *out = PyUnicode_DATA(s);
    switch (PyUnicode_KIND(s)) {
    case PyUnicode_1BYTE_KIND:
        for (Py_ssize_t i = 0; i < n; i++)
            ((Py_UCS1 *)out)[i] = (Py_UCS1)data[i];
        break;
    case PyUnicode_2BYTE_KIND:
        for (Py_ssize_t i = 0; i < n; i++)
            ((Py_UCS2 *)out)[i] = (Py_UCS2)data[i];
        break;
    default:
        memcpy(out, data, (size_t)n * sizeof(Py_UCS4));
    }
    return s;
}

static PyObject *
Builder_build(Builder *self, PyObject *text)
{
    if (!PyUnicode_Check(text)) {
        PyErr_SetString(PyExc_TypeError, "text must be a str");
        return NULL;
    }
    if (self->held != 6) {
        PyErr_SetString(PyExc_RuntimeError, "Builder was not initialised");
        return NULL;
    }
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    const uint8_t *script_t = self->script.buf;
    const Entry *bmp = self->bmp;

    /* one allocation: four UCS4 views, two maps and two lists of joins, n entries each */
    const size_t each = (size_t)(n ? n : 1);
    char *block = PyMem_Malloc(each * (4 * sizeof(Py_UCS4) + 4 * sizeof(int64_t)));
    if (block == NULL)
        return PyErr_NoMemory();
    Py_UCS4 *vbuf = (Py_UCS4 *)block, *dbuf = vbuf + each, *lbuf = dbuf + each, *sbuf = lbuf + each;
    int64_t *vmap = (int64_t *)(sbuf + each), *dmap = vmap + each, *jafter = dmap + each, *jbefore = jafter + each;
    Py_ssize_t nafter = 0, nbefore = 0;

    PyObject *after = NULL, *before = NULL, *result = NULL;
    Py_ssize_t nv = 0, nd = 0;
    int latin = 0, symbol = 0;
    uint16_t kinds = 0;
    Py_UCS4 vmax = 0, dmax = 0, lmax = 0, smax = 0;
    uint8_t prev = 0;
    int prev_view_code = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        const Py_UCS4 cp = PyUnicode_READ(kind, data, i);
        const Entry e = cp < 0x10000 ? bmp[cp] : entry_of(self, cp);
        const uint32_t v = e.view;
        kinds |= e.kinds;
        if (v == 0)
            continue;
        const uint8_t kind_now = e.script;
        /* the word view keeps the first code of a run of Han syllables: no word pattern
         * holds one, and one code keeps the run a word boundary */
        if (kind_now != self->code_kind || !prev_view_code) {
            vbuf[nv] = v;
            vmap[nv++] = i;
            vmax = v > vmax ? v : vmax;
        }
        prev_view_code = kind_now == self->code_kind;
        if (v >= 'a' && v <= 'z')
            latin = 1;
        else if (v == GAP_MARK)
            symbol = 1;
        if (!e.keep)
            continue;
        if (nd > 0) {
            if (prev == self->code_kind && kind_now == self->latin_kind)
                jafter[nafter++] = nd;  /* a letter right after a syllable code */
            else if (prev == self->latin_kind && kind_now == self->code_kind)
                jbefore[nbefore++] = nd - 1;  /* a letter right before one */
        }
        prev = kind_now;
        const uint32_t lit = e.literal, shp = e.shape;
        dbuf[nd] = v;
        lbuf[nd] = lit;
        sbuf[nd] = shp;
        dmap[nd++] = i;
        dmax = v > dmax ? v : dmax;
        lmax = lit > lmax ? lit : lmax;
        smax = shp > smax ? shp : smax;
    }
    /* only runs of at most max_run letters can be pinyin (engine/pinyin_in_han.py): longer ones are English */
    after = PyList_New(0);
    before = PyList_New(0);
    if (after == NULL || before == NULL)
        goto done;
    for (Py_ssize_t j = 0; j < nafter; j++) {
        Py_ssize_t k = jafter[j];
        while (k < nd && script_t[dbuf[k]] == self->latin_kind && k - jafter[j] <= self->max_run)
            k++;
        if (k - jafter[j] <= self->max_run && append_index(after, jafter[j]) < 0)
            goto done;
    }
    for (Py_ssize_t j = 0; j < nbefore; j++) {
        Py_ssize_t k = jbefore[j];
        while (k >= 0 && script_t[dbuf[k]] == self->latin_kind && jbefore[j] - k <= self->max_run)
            k--;
        if (jbefore[j] - k <= self->max_run && append_index(before, jbefore[j]) < 0)
            goto done;
    }
    {
        PyObject *view = ucs4_str(vbuf, nv, vmax), *dense = ucs4_str(dbuf, nd, dmax),
                 *lit = ucs4_str(lbuf, nd, lmax), *shp = ucs4_str(sbuf, nd, smax);
        PyObject *vm = nv == n ? Py_NewRef(Py_None) : PyBytes_FromStringAndSize((char *)vmap, nv * 8);
        PyObject *dm = PyBytes_FromStringAndSize((char *)dmap, nd * 8);
        if (view && dense && lit && shp && vm && dm)
            result = Py_BuildValue("(OOOOOOOOOOi)", view, dense, lit, shp, vm, dm, after, before,
                                   latin ? Py_True : Py_False, symbol ? Py_True : Py_False, (int)kinds);
        Py_XDECREF(view);
        Py_XDECREF(dense);
        Py_XDECREF(lit);
        Py_XDECREF(shp);
        Py_XDECREF(vm);
        Py_XDECREF(dm);
    }
done:
    Py_XDECREF(after);
    Py_XDECREF(before);
    PyMem_Free(block);
    return result;
}

/* latin_tokens(view) -> (spans, may_be_separated)
 *
 * The Latin tokens of a view (runs of letters, digits and leet symbols, engine/respelling.py _TOK) that a
 * respelling may hide a word in: those holding a leet mark (a letter next to a digit or a
 * leet symbol) or a letter written three times in a row. One pass, one entry per token,
 * however long the token: a run of one letter costs one span, not one mark per letter.
 * ``spans`` is a flat list [start, end, start, end, ...]; ``may_be_separated`` is false
 * when the view holds no three one-character tokens in a row with only gaps between them ("f u c"), the only
 * views in which engine/respelling.py SEPARATED can match. views.py's _SUSPECT_TOKEN and
 * _MAY_BE_SEPARATED are the definitions. */
static PyObject *
latin_tokens(PyObject *module, PyObject *view)
{
    if (!PyUnicode_Check(view)) {
        PyErr_SetString(PyExc_TypeError, "view must be a str");
        return NULL;
    }
    const Py_ssize_t n = PyUnicode_GET_LENGTH(view);
    const int kind = PyUnicode_KIND(view);
    const void *data = PyUnicode_DATA(view);
    PyObject *spans = PyList_New(0);
    if (spans == NULL)
        return NULL;
    int separated = 0, run = 0, singles = 0, marked = 0;
    Py_ssize_t start = 0;
    uint32_t p1 = 0, p2 = 0; /* the token's previous two characters */
    for (Py_ssize_t i = 0; i <= n; i++) {
        const uint32_t v = i < n ? PyUnicode_READ(kind, data, i) : 0;
        if (i < n && is_token(v)) {
            if (run == 0) {
                start = i;
                marked = 0;
                p1 = p2 = 0;
            } else if (!marked) {
                const int letter = is_letter(v), prev_letter = is_letter(p1);
                if ((letter && !prev_letter) || (!letter && prev_letter) || (letter && v == p1 && v == p2))
                    marked = 1;
            }
            run++;
            p2 = p1;
            p1 = v;
            continue;
        }
        if (run > 0 && marked && (append_index(spans, start) < 0 || append_index(spans, i) < 0)) {
            Py_DECREF(spans);
            return NULL;
        }
        /* one-character tokens in a row with only gaps between them: three make a hint */
        if (run == 1) {
            if (++singles >= 3)
                separated = 1;
        } else if (run > 1) {
            singles = 0;
        }
        if (i == n)
            break;
        if (v != ' ' && v != GAP_MARK)
            singles = 0;
        run = 0;
    }
    PyObject *result = Py_BuildValue("(NO)", spans, separated ? Py_True : Py_False);
    return result;
}

/* stretches(text, max_period, window, step, min_length) -> [start, end, period, ...]
 *
 * The stretches of a text that repeat one short unit (repeats.py): at every step-th
 * position, the smallest period p <= max_period for which the next `window` characters
 * equal the `window` characters p further on; the stretch is then grown both ways while
 * text[i] == text[i + p], and kept if it is at least min_length long. Stretches do not
 * overlap; each character is compared a bounded number of times. repeats.py's
 * _stretches_py is the definition. */
static PyObject *
stretches(PyObject *module, PyObject *args)
{
    PyObject *text;
    Py_ssize_t max_period, window, step, min_length;
    if (!PyArg_ParseTuple(args, "Unnnn", &text, &max_period, &window, &step, &min_length))
        return NULL;
    if (max_period < 1 || window < 1 || step < 1) {
        PyErr_SetString(PyExc_ValueError, "max_period, window and step must be positive");
        return NULL;
    }
    const Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    const int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    PyObject *out = PyList_New(0);
    if (out == NULL)
        return NULL;
#define AT(i) PyUnicode_READ(kind, data, (i))
    Py_ssize_t lo = 0, x = 0;
    while (x + window < n) {
        Py_ssize_t p = 0;
        for (Py_ssize_t q = 1; q <= max_period && x + window + q <= n; q++) {
            Py_ssize_t i = 0;
            while (i < window && AT(x + i) == AT(x + i + q))
                i++;
            if (i == window) {
                p = q;
                break;
            }
        }
        if (p == 0) {
            x += step;
            continue;
        }
        Py_ssize_t a = x, b = x + window + p;
        while (a > lo && AT(a - 1) == AT(a - 1 + p))
            a--;
        while (b < n && AT(b) == AT(b - p))
            b++;
        if (b - a >= min_length) {
            if (append_index(out, a) < 0 || append_index(out, b) < 0 || append_index(out, p) < 0) {
                Py_DECREF(out);
                return NULL;
            }
            lo = b;
            x = (b + step - 1) / step * step;
        } else {
            x += step;
        }
    }
#undef AT
    return out;
}

static PyMethodDef Builder_methods[] = {
    {"build", (PyCFunction)Builder_build, METH_O,
     "build(text) -> (view, dense, literal, shape, view_map, dense_map, after_code, before_code, has_latin,\n"
     "                has_symbols, kinds)\n\n"
     "Maps are native int64 bytes (None for a view that deleted nothing)."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject BuilderType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "interceptor.normalize._views.Builder",
    .tp_doc = "Builder(view, literal, shape, dense_keep, script, kinds, code_kind, latin_kind, max_run): builds a text's "
               "views.",
    .tp_basicsize = sizeof(Builder),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Builder_init,
    .tp_dealloc = (destructor)Builder_dealloc,
    .tp_methods = Builder_methods,
};

static PyMethodDef module_methods[] = {
    {"latin_tokens", (PyCFunction)latin_tokens, METH_O,
     "latin_tokens(view) -> (spans, may_be_separated): the Latin tokens a respelling may hide a word in."},
    {"stretches", (PyCFunction)stretches, METH_VARARGS,
     "stretches(text, max_period, window, step, min_length) -> [start, end, period, ...]: repeated stretches."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef views_module = {
    .m_base = PyModuleDef_HEAD_INIT,
    .m_name = "_views",
    .m_doc = "A text's views in one pass (see views.py).",
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__views(void)
{
    if (PyType_Ready(&BuilderType) < 0)
        return NULL;
    PyObject *m = PyModule_Create(&views_module);
    if (m == NULL)
        return NULL;
    if (PyModule_AddObjectRef(m, "Builder", (PyObject *)&BuilderType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
