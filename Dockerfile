# IdpBridge image: the `idpbridge` command (default entrypoint), the IdpBridge service, and the try-it tool whose
# `people` command creates the compose demo's people (docker-compose.yml, idpbridge-demo), one image.
#   docker build -t idpbridge .
#   docker run --rm idpbridge --help                                      # the CLI
#   docker run --rm --entrypoint dotnet idpbridge /app/service/IdpBridge.Service.dll   # the service
# Tags are pinned to exact patch versions (SDK 10.0.401 ships runtime 10.0.12) so a rebuild is reproducible;
# bump both together.

FROM mcr.microsoft.com/dotnet/sdk:10.0.401 AS build
WORKDIR /src

# The whole of src/ (and tools/) at once: simpler than copying project files first for a cached restore layer, and it cannot
# miss a project that src/ gains later.
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt ./
COPY src/ src/
COPY tools/ tools/

# No .git in the build context (.dockerignore): pass the commit for `idpbridge --version` as a build argument,
#   docker build --build-arg SOURCE_REVISION=$(git rev-parse --short HEAD) .
# and keep Source Link from asking git for it.
ARG SOURCE_REVISION=""
RUN dotnet publish src/IdpBridge.Cli/IdpBridge.Cli.csproj -c Release -o /out/cli \
      -p:UseAppHost=false -p:EnableSourceControlManagerQueries=false -p:SourceRevisionId="$SOURCE_REVISION" \
 && dotnet publish src/IdpBridge.Service/IdpBridge.Service.csproj -c Release -o /out/service \
      -p:UseAppHost=false -p:EnableSourceControlManagerQueries=false -p:SourceRevisionId="$SOURCE_REVISION" \
 && dotnet publish tools/IdpBridge.TryIt/IdpBridge.TryIt.csproj -c Release -o /out/try-it \
      -p:UseAppHost=false -p:EnableSourceControlManagerQueries=false -p:SourceRevisionId="$SOURCE_REVISION"

FROM mcr.microsoft.com/dotnet/aspnet:10.0.12 AS runtime
WORKDIR /app
COPY --from=build /out/cli /app/cli
COPY --from=build /out/service /app/service
COPY --from=build /out/try-it /app/try-it
# The service keeps its SQLite file in /data (a volume in the compose stack): owned by the non-root user, so a new
# named volume starts with that owner. The .NET images create the user `app` and export its uid as APP_UID (1654).
RUN mkdir /data && chown "$APP_UID" /data
USER $APP_UID
# The service listens on ASPNETCORE_HTTP_PORTS (8080 in the .NET images).
EXPOSE 8080
ENTRYPOINT ["dotnet", "/app/cli/idpbridge.dll"]
