namespace Catty.Server.Storage;

/// <summary>One ASP.NET Core data-protection key (as the XML it writes), shared by all replicas on PostgreSQL.</summary>
internal sealed class DataProtectionKey
{
    public int Id { get; set; }

    public string? FriendlyName { get; set; }

    public required string Xml { get; set; }
}
