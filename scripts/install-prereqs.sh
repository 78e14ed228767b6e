#!/usr/bin/env bash
# Installs every system prerequisite of the project on Debian 12, idempotently.
# Safe to run repeatedly: when everything is present it only checks and returns.
set -euo pipefail

# Debian packages the build, the tests and the product need.
PACKAGES=(
  ffmpeg                 # audio decoding (src/Core) and test fixtures
  libopenblas0-openmp    # GEMM for the C# engine and for PyTorch (same library)
  python3-torch          # reference model and training (src/Training)
  python3-torchaudio     # frontend reference in the Python tests
  python3-numpy
  python3-pytest
  python3-onnx           # checks the ONNX export of trained models
  rabbitmq-server        # message broker of the distributed deployment; tests start private instances
  python3-faiss          # FAISS 1.7.3, the reference of `musicsearch bench vectors` (Debian's /usr/bin/python3 only)
  wrk                    # HTTP load generator of `musicsearch bench api`
  chromium               # headless browser the editor UI's Playwright tests drive (tests/Web.Tests); nothing is downloaded
)

# A private archive cache: this image's apt configuration empties the shared
# cache after any `apt-get update`, which another process may run mid-install.
APT_CACHE=/var/cache/musicsearch-apt
APT_OPTS=(-o DPkg::Lock::Timeout=900 -o "Dir::Cache::archives=$APT_CACHE" -y --no-install-recommends)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Node.js runs graphql-js, the reference the GraphQL engine's conformance tests compare against. Any Node >= 12.22
# will do, so one already on PATH (a NodeSource build, say) is kept; otherwise Debian's packages provide it.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-prereqs: installing ${missing[*]}"
  $SUDO mkdir -p "$APT_CACHE/partial"
  $SUDO apt-get -o DPkg::Lock::Timeout=900 -o "Dir::Cache::archives=$APT_CACHE" update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get "${APT_OPTS[@]}" install -qq "${missing[@]}"
fi

# Pin BLAS to the OpenMP OpenBLAS build so PyTorch (through libblas.so.3) and the
# C# engine (through libopenblas.so.0) run the same GEMM implementation.
ARCH_TRIPLET=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
OPENBLAS_DIR=/usr/lib/$ARCH_TRIPLET/openblas-openmp
pin() {
  local name=$1 target=$2
  if [ -e "$target" ] && [ "$(readlink -f "/etc/alternatives/$name" 2>/dev/null)" != "$target" ]; then
    $SUDO update-alternatives --set "$name" "$target" >/dev/null
  fi
}
pin "libblas.so.3-$ARCH_TRIPLET" "$OPENBLAS_DIR/libblas.so.3"
pin "liblapack.so.3-$ARCH_TRIPLET" "$OPENBLAS_DIR/liblapack.so.3"
pin "libopenblas.so.0-$ARCH_TRIPLET" "$OPENBLAS_DIR/libopenblas.so.0"

# Tests start their own brokers (tests/Support/RabbitMqBroker.cs) on free ports; the package's system
# service must not keep running on the default port or start at boot. Containers usually forbid the
# start during install (policy-rc.d); elsewhere the postinst starts it through systemd or sysvinit.
if [ -d /run/systemd/system ]; then
  if systemctl is-enabled --quiet rabbitmq-server 2>/dev/null || systemctl is-active --quiet rabbitmq-server; then
    echo "install-prereqs: stopping and disabling the rabbitmq-server system service"
    $SUDO systemctl disable --now rabbitmq-server >/dev/null 2>&1
  fi
else
  if [ -f /run/rabbitmq/pid ] && kill -0 "$(cat /run/rabbitmq/pid)" 2>/dev/null; then
    echo "install-prereqs: stopping the rabbitmq-server system service"
    $SUDO service rabbitmq-server stop >/dev/null
  fi
  if compgen -G "/etc/rc[2-5].d/S*rabbitmq-server" >/dev/null; then
    $SUDO update-rc.d rabbitmq-server disable >/dev/null 2>&1
  fi
fi

# graphql-js at the exact version pinned by tests/GraphQL.Tests/js/package-lock.json; skipped when already there,
# so that a machine without registry access can run the tests once it has been installed.
GRAPHQL_JS=tests/GraphQL.Tests/js
cd "$(dirname "$0")/.."
if [ "$(node -p "require('./$GRAPHQL_JS/node_modules/graphql/package.json').version" 2>/dev/null)" != "16.15.0" ]; then
  echo "install-prereqs: installing graphql-js into $GRAPHQL_JS"
  npm ci --prefix "$GRAPHQL_JS" --no-audit --no-fund --loglevel=error
fi

command -v ffmpeg >/dev/null || { echo "install-prereqs: ffmpeg missing after install" >&2; exit 1; }
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || { echo "install-prereqs: rabbitmq-server missing after install" >&2; exit 1; }
command -v node >/dev/null || { echo "install-prereqs: node missing after install" >&2; exit 1; }
command -v wrk >/dev/null || { echo "install-prereqs: wrk missing after install" >&2; exit 1; }
[ -x /usr/bin/chromium ] || { echo "install-prereqs: chromium missing after install" >&2; exit 1; }
command -v dotnet >/dev/null || { echo "install-prereqs: the .NET SDK 10 is required (dotnet not on PATH)" >&2; exit 1; }
echo "install-prereqs: ok"
