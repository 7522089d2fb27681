# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# Prometheus' own tools for the export suites: promtool, prometheus, node_exporter, as
# scripts/setup.sh unpacks them into .tools/prom (never installed: the packages start
# services), else from PATH. A suite that needs one skips with the reason when it is absent.
# shellcheck disable=SC2034

PROM_TOOLS=${PROM_TOOLS:-$TOP/.tools/prom/usr/bin}

# prom_tool NAME: the path of a tool ("promtool", "prometheus", "prometheus-node-exporter")
prom_tool() {
	if [ -x "$PROM_TOOLS/$1" ]; then
		echo "$PROM_TOOLS/$1"
	else
		command -v "$1"
	fi
}

# require_prom_tool NAME: skip, naming what to run, when the tool is not there
require_prom_tool() {
	prom_tool "$1" >/dev/null || skip "$1 not found in $PROM_TOOLS or PATH: run scripts/setup.sh"
}

# free_port: a TCP port on 127.0.0.1 nobody listens on now (the kernel picks it)
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
