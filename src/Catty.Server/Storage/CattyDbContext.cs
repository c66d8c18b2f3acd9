using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Catty.Server.Storage;

/// <summary>
/// The metadata store. Provider-neutral: each database gets a thin subclass with its own migrations
/// (<see cref="SqliteCattyDbContext"/>, <see cref="PostgresCattyDbContext"/>) with its own migrations.
/// </summary>
internal abstract class CattyDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<SignInCode> SignInCodes => Set<SignInCode>();

    public DbSet<SessionRecord> Sessions => Set<SessionRecord>();

    public DbSet<SnapshotRecord> Snapshots => Set<SnapshotRecord>();

    public DbSet<StoredBlob> StoredBlobs => Set<StoredBlob>();

    public DbSet<Invite> Invites => Set<Invite>();

    public DbSet<ExternalLogin> ExternalLogins => Set<ExternalLogin>();

    public DbSet<TerminalTicket> TerminalTickets => Set<TerminalTicket>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<SharedKey> SharedKeys => Set<SharedKey>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<PushSubscriptionRecord> PushSubscriptions => Set<PushSubscriptionRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // OpenIddict's applications, authorizations and tokens (device login, refresh tokens) live here too.
        modelBuilder.UseOpenIddict();

        modelBuilder.Entity<User>(user =>
        {
            user.ToTable("users");
            user.HasIndex(u => u.Email).IsUnique();
            user.Property(u => u.Email).HasMaxLength(320);
            user.Property(u => u.DisplayName).HasMaxLength(100);
            user.Property(u => u.Role).HasMaxLength(20);
            user.Property(u => u.PasswordHash).HasMaxLength(400);
        });

        modelBuilder.Entity<Invite>(invite =>
        {
            invite.ToTable("invites");
            invite.HasKey(i => i.Hash);
            invite.Property(i => i.Email).HasMaxLength(320);
            invite.HasOne<User>().WithMany().HasForeignKey(i => i.CreatedBy).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ExternalLogin>(login =>
        {
            login.ToTable("external_logins");
            login.HasKey(l => new { l.Issuer, l.Subject });
            login.Property(l => l.Issuer).HasMaxLength(400);
            login.Property(l => l.Subject).HasMaxLength(400);
            login.Property(l => l.Provider).HasMaxLength(100);
            login.HasOne<User>().WithMany().HasForeignKey(l => l.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<TerminalTicket>(ticket =>
        {
            ticket.ToTable("terminal_tickets");
            ticket.HasKey(t => t.Hash);
            ticket.HasIndex(t => t.ExpiresAt);
            ticket.HasOne<SessionRecord>().WithMany().HasForeignKey(t => t.SessionId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<AuditEvent>(audit =>
        {
            audit.ToTable("audit_events");
            audit.HasIndex(a => a.At);
            audit.Property(a => a.Kind).HasMaxLength(40);
            audit.Property(a => a.Email).HasMaxLength(320);
            audit.Property(a => a.SourceAddress).HasMaxLength(64);
            audit.Property(a => a.Detail).HasMaxLength(400);
        });

        modelBuilder.Entity<ApiToken>(token =>
        {
            token.ToTable("api_tokens");
            token.HasIndex(t => t.Hash).IsUnique();
            token.Property(t => t.Name).HasMaxLength(200);
            token.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SignInCode>(code =>
        {
            code.ToTable("sign_in_codes");
            code.HasKey(c => c.Hash);
            code.HasOne<User>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SessionRecord>(session =>
        {
            session.ToTable("sessions");
            session.HasIndex(s => s.Label).IsUnique();
            session.HasIndex(s => s.MachineId).IsUnique();
            session.HasIndex(s => new { s.OwnerId, s.Status });
            session.HasIndex(s => s.Status);
            session.Property(s => s.Label).HasMaxLength(100);
            session.Property(s => s.Agent).HasMaxLength(100);
            session.Property(s => s.Region).HasMaxLength(100);
            session.Property(s => s.Runtime).HasMaxLength(50);
            session.Property(s => s.Status).HasMaxLength(20);
            session.Property(s => s.MachineState).HasMaxLength(20);
            session.Property(s => s.MachineId).HasMaxLength(32);
            session.Property(s => s.StopReason).HasMaxLength(40);
            session.Property(s => s.AgentEndpoint).HasMaxLength(400);
            session.HasOne<User>().WithMany().HasForeignKey(s => s.OwnerId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SnapshotRecord>(snapshot =>
        {
            snapshot.ToTable("snapshots");
            snapshot.HasIndex(s => new { s.SessionId, s.Seq }).IsUnique();
            snapshot.Property(s => s.Digest).HasMaxLength(64);
            snapshot.HasOne<SessionRecord>().WithMany().HasForeignKey(s => s.SessionId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<SharedKey>(key =>
        {
            key.ToTable("shared_keys");
            key.HasKey(k => k.Name);
            key.Property(k => k.Name).HasMaxLength(100);
        });

        modelBuilder.Entity<DataProtectionKey>(key =>
        {
            key.ToTable("data_protection_keys");
            key.Property(k => k.FriendlyName).HasMaxLength(200);
        });

        modelBuilder.Entity<PushSubscriptionRecord>(subscription =>
        {
            subscription.ToTable("push_subscriptions");
            subscription.HasIndex(p => new { p.UserId, p.Endpoint }).IsUnique();
            subscription.Property(p => p.Endpoint).HasMaxLength(2048);
            subscription.Property(p => p.P256dh).HasMaxLength(128);
            subscription.Property(p => p.Auth).HasMaxLength(128);
            subscription.Property(p => p.Events).HasMaxLength(100);
            subscription.Property(p => p.LastOutcome).HasMaxLength(20);
            subscription.HasOne<User>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<StoredBlob>(blob =>
        {
            blob.ToTable("stored_blobs");
            blob.HasKey(b => b.Sha256);
            blob.Property(b => b.Sha256).HasMaxLength(64);
        });

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            if (entity.ClrType.Namespace?.StartsWith("OpenIddict", StringComparison.Ordinal) == true)
            {
                entity.SetTableName("openiddict_" + SnakeCase(entity.ClrType.Name.Replace("OpenIddictEntityFrameworkCore", "", StringComparison.Ordinal)) + "s");
            }

            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(SnakeCase(property.Name));
            }
        }
    }

    private static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(name[i]));
        }

        return text.ToString();
    }
}
