namespace Catty.Server.Storage;

/// <summary>Which metadata store the server uses, bound from <c>Catty:Database</c>.</summary>
internal sealed class DatabaseOptions
{
    public const string Section = "Catty:Database";

    /// <summary>The configuration key of the connection string (<c>ConnectionStrings:Catty</c>).</summary>
    public const string ConnectionStringName = "Catty";

    public const string Sqlite = "sqlite";

    public const string Postgres = "postgres";

    /// <summary>
    /// <c>sqlite</c> (default: a file in the data directory, one server) or <c>postgres</c> (the database named by
    /// <c>ConnectionStrings:Catty</c>; any number of replicas may share it).
    /// </summary>
    public string Provider { get; set; } = Sqlite;

    public bool IsPostgres => Provider == Postgres;
}
