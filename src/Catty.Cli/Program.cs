using Catty.Cli.Commands;
using Catty.Cli.Terminal;

return await CattyCommandLine.RunAsync(CliContext.FromProcess(StandardStreams.OutWriter, StandardStreams.ErrWriter), args);
