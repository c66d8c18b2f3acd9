using Catty.Server;
using Catty.Server.Storage;

var builder = CattyServer.CreateBuilder(args);
var app = CattyServer.Build(builder);
if (await DatabaseProbe.ProblemAsync(app.Services, CancellationToken.None) is { } problem)
{
    await Console.Error.WriteLineAsync("catty-server: " + problem);
    return 1;
}

await app.RunAsync();
return 0;
