# Recaps images: one Dockerfile, two targets.
#   docker build --target api    -t recaps-api .
#   docker build --target worker -t recaps-worker .
# docker-compose.temporal.yml builds both (see docs/compose.md).

# ---- build: restore from the project files only (cached until a csproj or props file changes), then publish
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# global.json is not copied (.dockerignore): the SDK is the one this image tag carries.
COPY Directory.Build.props Directory.Packages.props ./
COPY Recaps.Workflows/Recaps.Workflows.csproj Recaps.Workflows/
COPY Recaps.ServiceDefaults/Recaps.ServiceDefaults.csproj Recaps.ServiceDefaults/
COPY Recaps.DevTools/Recaps.DevTools.csproj Recaps.DevTools/
COPY Recaps.Api/Recaps.Api.csproj Recaps.Api/
COPY Recaps.Worker/Recaps.Worker.csproj Recaps.Worker/
RUN dotnet restore Recaps.Api/Recaps.Api.csproj \
 && dotnet restore Recaps.Worker/Recaps.Worker.csproj
# .editorconfig drives the analyzers that the build treats as errors.
COPY .editorconfig ./
COPY Recaps.Workflows/ Recaps.Workflows/
COPY Recaps.ServiceDefaults/ Recaps.ServiceDefaults/
COPY Recaps.DevTools/ Recaps.DevTools/
COPY Recaps.Api/ Recaps.Api/
COPY Recaps.Worker/ Recaps.Worker/
RUN dotnet publish Recaps.Api/Recaps.Api.csproj -c Release --no-restore -o /out/api \
 && dotnet publish Recaps.Worker/Recaps.Worker.csproj -c Release --no-restore -o /out/worker

# ---- api: ASP.NET Core runtime, non-root (the image's "app" user), HTTP on 8080
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS api
WORKDIR /app
COPY --from=build /out/api ./
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
USER $APP_UID
# The image has no curl or wget; bash's /dev/tcp sends the request and the status line must say 200.
# /health/ready answers 200 only when PostgreSQL answers.
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health/ready HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "Recaps.Api.dll"]

# ---- worker: the ASP.NET Core runtime too (its health and metrics listener is ASP.NET Core; the
# layers are shared with the api image).
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS worker
WORKDIR /app
COPY --from=build /out/worker ./
# The worker's only HTTP: /health/live and /health/ready (database and Temporal) on 8080; /metrics on
# the management port (9464, loopback unless Recaps__Management__Url says otherwise).
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080 9464
USER $APP_UID
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health/ready HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["dotnet", "Recaps.Worker.dll"]
