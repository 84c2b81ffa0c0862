# The platform as a container: RESP on 6379, HTTP on 8080, data under /data.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
COPY . .
RUN dotnet publish src/Api/Api.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
VOLUME /data
EXPOSE 6379 8080
ENTRYPOINT ["dotnet", "Platform.Api.dll", "--bind", "0.0.0.0", "--port", "6379", "--urls", "http://0.0.0.0:8080", "--dir", "/data"]
