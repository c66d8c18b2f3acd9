using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catty.Server.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Snapshots : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "snapshots",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    session_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    seq = table.Column<int>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    file_count = table.Column<int>(type: "INTEGER", nullable: false),
                    total_bytes = table.Column<long>(type: "INTEGER", nullable: false),
                    digest = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_snapshots", x => x.id);
                    table.ForeignKey(
                        name: "FK_snapshots_sessions_session_id",
                        column: x => x.session_id,
                        principalTable: "sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "stored_blobs",
                columns: table => new
                {
                    sha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    stored_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_stored_blobs", x => x.sha256);
                });

            migrationBuilder.CreateIndex(
                name: "IX_snapshots_session_id_seq",
                table: "snapshots",
                columns: new[] { "session_id", "seq" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "snapshots");

            migrationBuilder.DropTable(
                name: "stored_blobs");
        }
    }
}
