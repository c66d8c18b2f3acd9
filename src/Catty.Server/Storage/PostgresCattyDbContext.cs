using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Catty.Server.Storage;

/// <summary>The PostgreSQL flavour of <see cref="CattyDbContext"/>; its migrations live in Storage/Migrations/Postgres.</summary>
internal sealed class PostgresCattyDbContext(DbContextOptions<PostgresCattyDbContext> options) : CattyDbContext(options);

/// <summary>Lets <c>dotnet ef migrations add --context PostgresCattyDbContext</c> build the context without a database.</summary>
internal sealed class PostgresCattyDbContextDesignFactory : IDesignTimeDbContextFactory<PostgresCattyDbContext>
{
    public PostgresCattyDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresCattyDbContext>().UseNpgsql("Host=localhost;Database=catty_design").Options);
}
