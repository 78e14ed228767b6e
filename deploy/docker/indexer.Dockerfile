# syntax=docker/dockerfile:1
# The indexing worker (`musicsearch worker`): ffmpeg for decoding, the CUDA runtime libraries for the GPU backend
# (cuBLAS and NVRTC, loaded by P/Invoke) and OpenBLAS for the CPU fallback. Published self-contained, so the CUDA base
# image needs no .NET runtime. Build from the repository root:
#   docker build -f deploy/docker/indexer.Dockerfile -t musicsearch/indexer .

FROM mcr.microsoft.com/dotnet/sdk:10.0.401 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Indexer -c Release -r linux-x64 --self-contained -o /out --nologo

FROM nvidia/cuda:12.6.3-runtime-ubuntu24.04 AS final
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg libopenblas0-pthread curl ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin musicsearch
WORKDIR /app
COPY --from=build /out .
USER 10001
# The CUDA base sets NVIDIA_VISIBLE_DEVICES; the GPU itself comes from the runtime (compose reservation, k8s nvidia.com/gpu).
ENV NVIDIA_DRIVER_CAPABILITIES=compute,utility DOTNET_gcServer=1
EXPOSE 9464
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=5 CMD curl -fsS http://127.0.0.1:9464/health || exit 1
ENTRYPOINT ["/app/musicsearch"]
CMD ["worker", "--package", "/models/current", "--transport", "RabbitMq", "--urls", "http://0.0.0.0:9464"]
