# Shared by the wrk-driven benchmarks (sourced: bench/server/compare.sh and floor.sh,
# bench/client/floor.sh): checking what they need, free ports, waiting for a server to
# listen, and stopping the servers a script started when it exits.

# require_wrk_and <targets to build> <binary>...: stops the script unless wrk is installed
# and every binary is built.
require_wrk_and() {
  local targets=$1
  shift
  command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
  for binary in "$@"; do
    [[ -x $binary ]] || { echo "no $binary (build the targets $targets)" >&2; exit 1; }
  done
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_for_port() {
  for _ in $(seq 1 200); do
    if python3 -c "import socket,sys; socket.create_connection(('127.0.0.1',$1),timeout=0.2)" 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "nothing listens on port $1" >&2
  return 1
}

# The servers started; each is killed on exit.
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
