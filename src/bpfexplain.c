// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <string.h>

#include "bpfexplain.h"
#include "i18n.h"

/* A cause edrdiag found itself (attach, permission) when the log does not name one. */
static const char *fallback_remedy(const char *id)
{
	if (!id)
		return NULL;
	if (!strcmp(id, "perm.no-capability"))
		return _("run as root, or give CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)");
	if (!strcmp(id, "attach.kprobes-unavailable"))
		return _("use a tracepoint or fentry program, or a kernel built with "
			 "CONFIG_KPROBES=y");
	if (!strcmp(id, "attach.tracepoint-missing"))
		return _("check the tracepoint's name on this kernel (ls "
			 "/sys/kernel/tracing/events/); fall back to another attach point");
	if (!strcmp(id, "attach.btf-target-missing"))
		return _("the kernel function is absent or inlined on this kernel: choose another "
			 "target, or fall back to a tracepoint");
	if (!strcmp(id, "attach.fentry-refused"))
		return _("fentry/fexit/LSM programs are refused here (lockdown, LSM policy or the "
			 "architecture): fall back to tracepoints or raw tracepoints");
	return NULL;
}

void bpfexplain_resolve(struct bpfcause_match *m, const char *hint, const char *stage,
			struct bpfexplain *out)
{
	const struct bpfcause *hc;

	if (hint && m->cause && strcmp(m->cause->id, hint) && stage &&
	    (!strcmp(stage, "attach") || !strcmp(stage, "permission")))
		m->cause = NULL;
	hc = !m->cause && hint ? bpfcause_find(hint) : NULL;
	out->cause = m->cause ? m->cause : hc;
	out->id = m->cause ? m->cause->id : hint ? hint : "unrecognised";
	out->title = out->cause ? out->cause->title : NULL;
	out->remedy = m->cause ? m->cause->remedy : hc ? hc->remedy : fallback_remedy(hint);
	if (!out->remedy)
		out->remedy = _("no known cause matched: read the log's last lines and the "
				"guide's section 1.1");
}
