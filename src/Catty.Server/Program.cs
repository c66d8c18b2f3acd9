using Catty.Server;

var builder = CattyServer.CreateBuilder(args);
var app = CattyServer.Build(builder);
await app.RunAsync();
