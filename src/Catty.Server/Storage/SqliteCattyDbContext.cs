using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Catty.Server.Storage;

/// <summary>The SQLite flavour of <see cref="CattyDbContext"/>; its migrations live in Storage/Migrations/Sqlite.</summary>
internal sealed class SqliteCattyDbContext(DbContextOptions<SqliteCattyDbContext> options) : CattyDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // SQLite has no timestamp type, and EF cannot compare or order DateTimeOffset stored as text there;
        // Unix milliseconds sort and compare correctly.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMillisecondsConverter>();
    }

    private sealed class UnixMillisecondsConverter() : ValueConverter<DateTimeOffset, long>(
        value => value.ToUnixTimeMilliseconds(),
        value => DateTimeOffset.FromUnixTimeMilliseconds(value));
}

/// <summary>Lets <c>dotnet ef migrations add</c> build the context without starting the server.</summary>
internal sealed class SqliteCattyDbContextDesignFactory : IDesignTimeDbContextFactory<SqliteCattyDbContext>
{
    public SqliteCattyDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteCattyDbContext>().UseSqlite("Data Source=design-time.db").Options);
}
