# syntax=docker/dockerfile:1
# The Api (GraphQL, previews, query-by-upload): decodes uploads with ffmpeg and embeds them on the CPU with OpenBLAS.
# Build from the repository root: docker build -f deploy/docker/api.Dockerfile -t musicsearch/api .

FROM mcr.microsoft.com/dotnet/sdk:10.0.401 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Api -c Release -o /out --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12 AS final
RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg libopenblas0-pthread curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /out .
# The image's unprivileged user (uid 1654); nothing in /app is writable by it.
USER $APP_UID
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 DOTNET_gcServer=1
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=5 CMD curl -fsS http://127.0.0.1:8080/health/live || exit 1
ENTRYPOINT ["dotnet", "MusicSearch.Api.dll"]
