global using Catty.Server.Tests.Infrastructure;
