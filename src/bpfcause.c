// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The catalogue of known BPF load/attach failure causes (data/bpf-causes.txt, embedded as
 * bpfcause_data by data/bpf-causes.cmake) and the classifier that finds one in a log.
 *
 * A log is customer input: any bytes, any length. Only its last BPFCAUSE_MAX_BYTES and
 * BPFCAUSE_MAX_LINES lines are read, each line cut at BPFCAUSE_MAX_LINE bytes, NUL bytes
 * read as spaces and a CR before the newline dropped; what is shown is escaped (text.h).
 */
#include "bpfcause.h"

#include <errno.h>
#include <pthread.h>
#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "util.h"

extern const char bpfcause_data[];
extern const size_t bpfcause_data_len;

#define MAX_ENTRIES  64
#define MAX_PATTERNS 16

/*
 * A pattern is compiled when a line first contains its required literal (a run of plain
 * characters every match must hold): compiling all 155 made a small check-object take 2.24 ms,
 * not 1.65, and most are never needed. A pattern without such a literal is compiled when
 * first tried.
 */

struct pattern {
	const char *src;	    /* the regular expression, in catalogue_text */
	char lit[BPFCAUSE_LIT_MAX]; /* required literal, "" none */
	regex_t re;		    /* valid when state == COMPILED */
	enum { NOT_YET, COMPILED, BROKEN } state;
};

struct entry {
	struct bpfcause c;
	struct pattern pat[MAX_PATTERNS];
	size_t nr_re;
};

static pthread_mutex_t compile_lock = PTHREAD_MUTEX_INITIALIZER;

static struct entry entries[MAX_ENTRIES];
static size_t nr_entries;
static char parse_err[160];
/* the entries' strings point into it, for the process's life; volatile: never read, the
 * compiler would drop the store, and valgrind would call the block "possibly lost" */
static char *volatile catalogue_text;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static const char *const field_names[] = { "id",	  "category", "title",
					   "explanation", "remedy",   "guide" };

static const char **field(struct bpfcause *c, size_t i)
{
	const char **f[] = {
		&c->id, &c->category, &c->title, &c->explanation, &c->remedy, &c->guide
	};
	return f[i];
}

static void fail(size_t lineno, const char *what)
{
	if (!parse_err[0])
		snprintf(parse_err, sizeof(parse_err), "data/bpf-causes.txt:%zu: %s", lineno, what);
}

/* Close the entry being read: complete, or dropped with the reason kept. */
static void finish_entry(struct entry *e, size_t lineno, bool *open)
{
	size_t i;

	if (!*open)
		return;
	*open = false;
	for (i = 0; i < 6; i++)
		if (!*field(&e->c, i) || !**field(&e->c, i)) {
			char msg[64];

			snprintf(msg, sizeof(msg), "entry without %s", field_names[i]);
			fail(lineno, msg);
			return;
		}
	if (!e->nr_re) {
		fail(lineno, "entry without a pattern");
		return;
	}
	for (i = 0; i < nr_entries; i++)
		if (!strcmp(entries[i].c.id, e->c.id)) {
			fail(lineno, "id given twice");
			return;
		}
	if (strncmp(e->c.id, e->c.category, strlen(e->c.category)) ||
	    e->c.id[strlen(e->c.category)] != '.') {
		fail(lineno, "id does not start with its category and a dot");
		return;
	}
	nr_entries++;
}

/* Past the bracket expression whose body starts at p (one character of a set). */
static const char *skip_bracket(const char *p)
{
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p && *p != ']')
		p++;
	return *p ? p + 1 : p;
}

/*
 * The longest run of plain characters at the top level of an extended regular expression
 * that every match contains: none when the expression has a top-level alternation. A
 * character followed by ?, * or { may be absent, so it ends the run without joining it; one
 * followed by + joins it and ends it. "" when there is none.
 */
void bpfcause_required_literal(const char *re, char lit[BPFCAUSE_LIT_MAX])
{
	char run[BPFCAUSE_LIT_MAX];
	size_t n = 0, depth = 0;
	const char *p;

	lit[0] = '\0';
	for (p = re; *p; p++)
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '[')
			p = skip_bracket(p + 1) - 1;
		else if (*p == '(')
			depth++;
		else if (*p == ')' && depth)
			depth--;
		else if (*p == '|' && !depth)
			return;
#define END_RUN()                                \
	do {                                     \
		run[n] = '\0';                   \
		if (n > strlen(lit))             \
			memcpy(lit, run, n + 1); \
		n = 0;                           \
	} while (0)
	for (p = re, depth = 0; *p;) {
		char c = *p;
		bool plain = false;

		if (c == '\\' && p[1] && strchr(".[]()*+?{}|^$\\", p[1])) {
			c = p[1];
			plain = true;
			p += 2;
		} else if (c == '\\') {
			END_RUN(); /* \w and the like: a class, not a character */
			p += p[1] ? 2 : 1;
			continue;
		} else if (strchr(".[]()*+?{}|^$", c)) {
			p++;
		} else {
			plain = true;
			p++;
		}
		if (!plain) {
			END_RUN();
			if (c == '[') {
				p = skip_bracket(p);
			} else if (c == '(') {
				depth++;
			} else if (c == ')' && depth) {
				depth--;
			} else if (c == '{') {
				while (*p && *p != '}')
					p++;
				if (*p)
					p++;
			}
			continue;
		}
		if (depth) /* inside a group that may be repeated or optional: not required */
			continue;
		if (*p == '?' || *p == '*' || *p == '{') {
			END_RUN();
			continue;
		}
		if (n < BPFCAUSE_LIT_MAX - 1)
			run[n++] = c;
		if (*p == '+')
			END_RUN();
	}
	END_RUN();
#undef END_RUN
}

/* Pattern pt compiled (once, whichever thread asks first): false when it does not compile. */
static bool compiled(struct pattern *pt)
{
	pthread_mutex_lock(&compile_lock);
	if (pt->state == NOT_YET)
		pt->state = regcomp(&pt->re, pt->src, REG_EXTENDED | REG_NOSUB) ? BROKEN : COMPILED;
	pthread_mutex_unlock(&compile_lock);
	return pt->state == COMPILED;
}

static void parse(void)
{
	char *text = catalogue_text = util_xmalloc(bpfcause_data_len + 1), *line, *next;
	struct entry *e = &entries[0];
	size_t lineno = 0, i;
	bool open = false;

	memcpy(text, bpfcause_data, bpfcause_data_len);
	text[bpfcause_data_len] = '\0';
	for (line = text; line; line = next) {
		char *colon, *val;

		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (line[0] == '#')
			continue;
		if (!line[0]) {
			finish_entry(e, lineno, &open);
			e = &entries[nr_entries < MAX_ENTRIES ? nr_entries : MAX_ENTRIES - 1];
			continue;
		}
		if (!open) {
			if (nr_entries >= MAX_ENTRIES) {
				fail(lineno, "too many entries");
				break;
			}
			memset(e, 0, sizeof(*e));
			open = true;
		}
		colon = strstr(line, ": ");
		if (!colon) {
			fail(lineno, "line is not \"key: value\"");
			continue;
		}
		*colon = '\0';
		val = colon + 2;
		if (!strcmp(line, "pattern")) {
			if (e->nr_re >= MAX_PATTERNS) {
				fail(lineno, "too many patterns");
				continue;
			}
			e->pat[e->nr_re].src = val;
			bpfcause_required_literal(val, e->pat[e->nr_re].lit);
			e->nr_re++;
			continue;
		}
		for (i = 0; i < 6; i++)
			if (!strcmp(line, field_names[i]))
				break;
		if (i == 6) {
			fail(lineno, "unknown key");
			continue;
		}
		if (*field(&e->c, i)) {
			fail(lineno, "key given twice in one entry");
			continue;
		}
		*field(&e->c, i) = val;
	}
	finish_entry(e, lineno, &open);
}

static void load(void)
{
	pthread_once(&once, parse);
}

size_t bpfcause_count(void)
{
	load();
	return nr_entries;
}

const struct bpfcause *bpfcause_at(size_t i)
{
	load();
	return i < nr_entries ? &entries[i].c : NULL;
}

const struct bpfcause *bpfcause_find(const char *id)
{
	size_t i;

	load();
	for (i = 0; id && i < nr_entries; i++)
		if (!strcmp(entries[i].c.id, id))
			return &entries[i].c;
	return NULL;
}

size_t bpfcause_patterns(size_t i)
{
	load();
	return i < nr_entries ? entries[i].nr_re : 0;
}

int bpfcause_catalogue_check(char *err, size_t errlen)
{
	size_t i, j;

	load();
	for (i = 0; i < nr_entries; i++)
		for (j = 0; j < entries[i].nr_re; j++)
			if (!compiled(&entries[i].pat[j])) {
				snprintf(err, errlen, "entry %s: pattern %zu does not compile: %s",
					 entries[i].c.id, j + 1, entries[i].pat[j].src);
				return -1;
			}
	if (parse_err[0] || !nr_entries) {
		snprintf(err, errlen, "%s", parse_err[0] ? parse_err : "empty catalogue");
		return -1;
	}
	return 0;
}

/* ---- the classifier ---- */

struct line {
	const char *p; /* raw bytes in the log */
	size_t n;      /* capped at BPFCAUSE_MAX_LINE, CR dropped */
};

/* The line as matched: NULs as spaces, NUL-terminated, "libbpf: " dropped. */
static const char *clean(const struct line *l, char *buf)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		buf[i] = l->p[i] ? l->p[i] : ' ';
	buf[l->n] = '\0';
	return strncmp(buf, "libbpf: ", 8) ? buf : buf + 8;
}

static char *escaped(const struct line *l)
{
	char *s = util_xmalloc(TEXT_PRINTABLE_MAX(l->n) + 1);

	*text_printable_escape(s, l->p, l->n) = '\0';
	return s;
}

/* A line the verifier prints after the failing message: statistics, and the like. */
static bool stats_line(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return !*s || util_startswith(s, "processed ") || util_startswith(s, "verification time") ||
	       util_startswith(s, "stack depth") || util_startswith(s, "mark_read") ||
	       strstr(s, "PROG LOAD LOG") || util_startswith(s, "func#") ||
	       util_startswith(s, "Validating ") || util_startswith(s, "cur state:") ||
	       strstr(s, "DUMP LOG") || strstr(s, "END LOG --") || util_startswith(s, "old state:");
}

/* "12: (79) r1 = ...": the index of a verifier instruction line, or -1. */
static long insn_line(const char *s)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	/* "<": the line libbpf writes over a poisoned one ("1: <invalid CO-RE relocation>") */
	if (errno || end[0] != ':' || end[1] != ' ' || (end[2] != '(' && end[2] != '<') || v < 0)
		return -1;
	return v;
}

static const struct entry *match_line(const char *s)
{
	size_t i, j;

	for (i = 0; i < nr_entries; i++)
		for (j = 0; j < entries[i].nr_re; j++) {
			struct pattern *pt = &entries[i].pat[j];

			if (pt->lit[0] && !strstr(s, pt->lit))
				continue;
			if (compiled(pt) && !regexec(&pt->re, s, 0, NULL, 0))
				return &entries[i];
		}
	return NULL;
}

static void parse_stats(const char *s, struct bpfcause_match *out)
{
	long a = -1, b = -1, c = -1, d = -1, e = -1;

	if (util_startswith(s, "processed ")) {
		int n = sscanf(s,
			       "processed %ld insns (limit %ld) max_states_per_insn %ld "
			       "total_states %ld peak_states %ld",
			       &a, &b, &c, &d, &e);
		if (n >= 1) {
			out->insns_processed = a;
			out->insn_limit = n >= 2 ? b : -1;
			out->max_states_per_insn = n >= 3 ? c : -1;
			out->total_states = n >= 4 ? d : -1;
			out->peak_states = n >= 5 ? e : -1;
		}
	} else if (util_startswith(s, "verification time ")) {
		if (sscanf(s, "verification time %ld usec", &a) == 1)
			out->verification_us = a;
	}
}

static const char *const error_words[] = {
	"invalid", "unknown",	"expected", "failed", "not allowed", "prohibited",  "too ",
	"error",   "Error",	"cannot",   "can't",  "not found",   "unsupported", "refused",
	"denied",  "forbidden", "illegal",  "bad ",   "must",	     "exceed",
};

static int error_score(const char *s)
{
	size_t i;
	int n = 0;

	for (i = 0; i < ARRAY_SIZE(error_words); i++)
		if (strstr(s, error_words[i]))
			n++;
	return n;
}

/* The last line that matches re_text (case-insensitive), or -1. */
static long mentions_at(const struct line *lines, size_t nr, char *buf, const char *re_text)
{
	regex_t re;
	long hit = -1;
	size_t i;

	if (regcomp(&re, re_text, REG_EXTENDED | REG_NOSUB | REG_ICASE))
		return -1;
	for (i = nr; hit < 0 && i-- > 0;)
		if (!regexec(&re, clean(&lines[i], buf), 0, NULL, 0))
			hit = (long)i;
	regfree(&re);
	return hit;
}

/* Split the log's tail into lines (at most BPFCAUSE_MAX_LINES, the last ones). */
static struct line *split(const char *log, size_t len, size_t *nr)
{
	const char *start = log, *end = log + len, *p;
	struct line *lines;
	size_t n = 0, count = 0;

	if (len > BPFCAUSE_MAX_BYTES) {
		start = end - BPFCAUSE_MAX_BYTES;
		p = memchr(start, '\n', (size_t)(end - start));
		start = p ? p + 1 : start; /* the first line was cut: drop it */
	}
	/* from the end: where the last BPFCAUSE_MAX_LINES lines begin */
	for (p = end; p > start; p--)
		if (p[-1] == '\n' && p != end && ++count == BPFCAUSE_MAX_LINES) {
			start = p;
			break;
		}
	lines = util_xmalloc((count + 2) * sizeof(*lines));
	while (start < end && n < count + 2) {
		const char *nl = memchr(start, '\n', (size_t)(end - start));
		size_t l = (size_t)((nl ? nl : end) - start);

		if (l && start[l - 1] == '\r')
			l--;
		lines[n].p = start;
		lines[n].n = l > BPFCAUSE_MAX_LINE ? BPFCAUSE_MAX_LINE : l;
		n++;
		start = nl ? nl + 1 : end;
	}
	*nr = n;
	return lines;
}

/* A cause from the hints: the evidence is the log line at `at`, else the hints themselves. */
static void set_hint(struct bpfcause_match *out, const char *id, const struct line *lines, long at,
		     int errno_hint, const char *stage_hint)
{
	char buf[160];

	out->cause = bpfcause_find(id);
	if (at >= 0) {
		out->evidence = escaped(&lines[at]);
		return;
	}
	snprintf(buf, sizeof(buf), "(no log line: errno %d%s%s%s)", errno_hint,
		 stage_hint ? " at stage \"" : "", stage_hint ? stage_hint : "",
		 stage_hint ? "\"" : "");
	out->evidence = text_printable(buf);
}

/* The cause from errno and stage alone, when no line matched. */
static void by_hints(struct bpfcause_match *out, const struct line *lines, size_t nr, char *buf,
		     bool verifier_text, int errno_hint, const char *stage)
{
	bool attach = stage && !strcmp(stage, "attach");
	/* libbpf's line that says a load was refused with EPERM: the errno, and the evidence */
	long eperm = mentions_at(lines, nr, buf,
				 "(load failed|load bpf program failed): Operation not permitted");
	long at;

	if (eperm < 0)
		eperm = mentions_at(lines, nr, buf, "failed to load: -1$");
	if (!errno_hint && eperm >= 0)
		errno_hint = EPERM;
	if (errno_hint != EPERM)
		eperm = -1;
	if (attach && (errno_hint == ENOENT || errno_hint == EOPNOTSUPP || errno_hint == EINVAL ||
		       errno_hint == ESRCH)) {
		if ((at = mentions_at(lines, nr, buf, "kprobe|kretprobe")) >= 0)
			set_hint(out, "attach.kprobes-unavailable", lines, at, errno_hint, stage);
		else if ((at = mentions_at(lines, nr, buf, "tracepoint|tp/")) >= 0)
			set_hint(out, "attach.tracepoint-missing", lines, at, errno_hint, stage);
		else if ((at = mentions_at(lines, nr, buf,
					   "(fentry|fexit|fmod_ret|lsm)(\\.s)?/|tp_btf/")) >= 0)
			set_hint(out, "attach.btf-target-missing", lines, at, errno_hint, stage);
		return;
	}
	/* the section names of BPF trampoline programs, as libbpf's debug lines give them */
	if ((errno_hint == EPERM || errno_hint == EACCES) && !verifier_text &&
	    mentions_at(lines, nr, buf, "(fentry|fexit|fmod_ret|lsm)(\\.s)?/") >= 0) {
		set_hint(out, "attach.fentry-refused", lines, eperm, errno_hint, stage);
		return;
	}
	if (!verifier_text && (errno_hint == EPERM || (stage && !strcmp(stage, "permission"))))
		set_hint(out, "perm.no-capability", lines, eperm, errno_hint, stage);
}

void bpfcause_classify(const char *log, size_t len, int errno_hint, const char *stage_hint,
		       struct bpfcause_match *out)
{
	struct line *lines;
	size_t nr = 0, i, fail_at = (size_t)-1, hit_at = (size_t)-1, last_processed = (size_t)-1;
	size_t from; /* where the failing instruction is looked for, backwards */
	const struct entry *hit = NULL;
	bool verifier_text = false;
	char *buf;

	memset(out, 0, sizeof(*out));
	out->insn = out->insns_processed = out->insn_limit = out->max_states_per_insn = -1;
	out->total_states = out->peak_states = out->verification_us = -1;
	load();
	if (!log)
		len = 0;
	buf = util_xmalloc(BPFCAUSE_MAX_LINE + 1);
	lines = split(log ? log : "", len, &nr);

	for (i = 0; i < nr; i++) {
		const char *s = clean(&lines[i], buf);

		if (util_startswith(s, "processed ")) {
			last_processed = i;
			verifier_text = true;
		}
		if (insn_line(s) >= 0)
			verifier_text = true;
		parse_stats(s, out);
	}
	/* the verifier's failing message: the last non-statistics line before "processed" */
	if (last_processed != (size_t)-1)
		for (i = last_processed; i-- > 0;)
			if (!stats_line(clean(&lines[i], buf))) {
				fail_at = i;
				break;
			}
	/*
	 * The verifier may say why in two lines ("invalid access to map value, ..." then "R0 min
	 * value is outside of the allowed memory range"): of the message lines that end at the
	 * failing one (up to 4, back to the instruction), the most specific entry wins.
	 */
	for (i = fail_at; fail_at != (size_t)-1 && i + 4 > fail_at; i--) {
		const char *s = clean(&lines[i], buf);
		const struct entry *e;

		if (i != fail_at && (insn_line(s) >= 0 || (*s >= '0' && *s <= '9') || *s == ';' ||
				     stats_line(s) || util_startswith(s, "mark_precise")))
			break;
		if ((e = match_line(s)) && (!hit || e < hit)) {
			hit = e;
			hit_at = i;
		}
		if (!i)
			break;
	}
	for (i = nr; !hit && i-- > 0;)
		if ((hit = match_line(clean(&lines[i], buf))))
			hit_at = i;

	if (hit) {
		out->cause = &hit->c;
		out->evidence = escaped(&lines[hit_at]);
	} else {
		by_hints(out, lines, nr, buf, verifier_text, errno_hint, stage_hint);
	}

	/* the failing instruction and its source line, before the line that says why */
	from = hit_at != (size_t)-1 ? hit_at : fail_at;
	for (i = from; from != (size_t)-1 && i-- > 0;) {
		long insn = insn_line(clean(&lines[i], buf));

		if (insn < 0)
			continue;
		out->insn = insn;
		while (i-- > 0) {
			const char *s = clean(&lines[i], buf);

			if (util_startswith(s, "; ")) {
				out->source = escaped(&lines[i]);
				break;
			}
			if (util_startswith(s, "from ") || strstr(s, "PROG LOAD LOG"))
				break;
		}
		break;
	}

	/* unrecognised: the lines that look most like a cause, best first */
	if (!out->cause) {
		size_t best[3];
		int score[3] = { 0, 0, 0 };
		size_t k, nb = 0;

		for (i = 0; i < nr; i++) {
			const char *s = clean(&lines[i], buf);
			int sc;

			if (stats_line(s) || insn_line(s) >= 0)
				continue;
			sc = error_score(s) * 2 + (i == fail_at ? 3 : 0);
			if (!sc)
				continue;
			/* later lines win ties: errors come last */
			for (k = 0; k < nb && score[k] > sc; k++)
				;
			if (k >= 3)
				continue;
			if (nb < 3)
				nb++;
			memmove(&best[k + 1], &best[k], (nb - 1 - k) * sizeof(best[0]));
			memmove(&score[k + 1], &score[k], (nb - 1 - k) * sizeof(score[0]));
			best[k] = i;
			score[k] = sc;
		}
		if (nb) {
			out->closest = util_xmalloc(nb * sizeof(*out->closest));
			for (k = 0; k < nb; k++)
				out->closest[k] = escaped(&lines[best[k]]);
			out->nr_closest = nb;
		}
	}
	free(lines);
	free(buf);
}

void bpfcause_match_free(struct bpfcause_match *m)
{
	if (!m)
		return;
	free(m->evidence);
	free(m->source);
	util_strv_free(m->closest, m->nr_closest);
	m->evidence = m->source = NULL;
	m->closest = NULL;
	m->nr_closest = 0;
	m->cause = NULL;
}
