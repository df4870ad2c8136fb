#!/usr/bin/env bash
# `make bench`: lyapunov-lens's training step and the PyTorch and JAX peers of ../shared/bench,
# and its time to a converged reading against SciPy's BFGS on the same problem, measured in the
# same run on the same machine, with the ratios. Machines here are shared and
# noisy: quote the ratios, not the absolute times.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="${LL_TOOLS:-$HOME/.cache/lyapunov-lens}"
PEERS="${LL_PEERS:-../shared/bench}"
VENV="$TOOLS/bench-venv"
if ! "$VENV/bin/python" -c 'import torch, jax, scipy' 2>/dev/null; then
  echo "[bench] installing numpy scipy torch jax jaxlib into $VENV (first time only, large download)" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check numpy scipy torch jax jaxlib
fi
out=$(mktemp)
cargo bench --bench training_step 2>/dev/null | tee "$out"
for n in 1000 10000; do
  "$VENV/bin/python" "$PEERS/peer_torch.py" "$n" $((2000000 / n)) | tee -a "$out"
  JAX_PLATFORMS=cpu "$VENV/bin/python" "$PEERS/peer_jax.py" "$n" $((5000000 / n)) 2>/dev/null | tee -a "$out"
  "$VENV/bin/python" "$PEERS/peer_scipy_converge.py" "$n" $((200000 / n)) | tee -a "$out"
done
echo
echo "ratios (peer us/step / lyapunov-lens us/step, higher = lyapunov-lens faster):"
for n in 1000 10000; do
  ours=$(grep -oP "^lyapunov-lens N=$n us/step=\K[0-9.]+" "$out")
  for peer in torch jax; do
    theirs=$(grep -oP "^$peer N=$n .*us/step=\K[0-9.]+" "$out")
    awk -v p="$peer" -v n="$n" -v a="$theirs" -v b="$ours" 'BEGIN { printf "  N=%s %-5s %8.1f us vs %7.2f us: %6.1fx\n", n, p, a, b, a / b }'
  done
done
echo
echo "time to a converged reading (SciPy BFGS us / lyapunov-lens us, higher = lyapunov-lens faster):"
for n in 1000 10000; do
  ours=$(grep -oP "^lyapunov-lens N=$n us/converged=\K[0-9.]+(?= \(reading)" "$out")
  theirs=$(grep -oP "^scipy-bfgs N=$n us/converged=\K[0-9.]+" "$out")
  awk -v n="$n" -v a="$theirs" -v b="$ours" 'BEGIN { printf "  N=%s scipy-bfgs %8.1f us vs %7.1f us: %6.1fx\n", n, a, b, a / b }'
done
rm -f "$out"
