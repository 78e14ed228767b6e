# syntax=docker/dockerfile:1
# The editors' UI (Blazor static SSR); talks to the Api only (Web__ApiBaseUrl).
# Build from the repository root: docker build -f deploy/docker/web.Dockerfile -t musicsearch/web .

FROM mcr.microsoft.com/dotnet/sdk:10.0.401 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Web -c Release -o /out --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12 AS final
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /out .
USER $APP_UID
ENV ASPNETCORE_URLS=http://0.0.0.0:8080
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=5 CMD curl -fsS http://127.0.0.1:8080/health/live || exit 1
ENTRYPOINT ["dotnet", "MusicSearch.Web.dll"]
