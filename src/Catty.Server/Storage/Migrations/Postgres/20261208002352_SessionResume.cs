using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Catty.Server.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SessionResume : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "resumed_from",
                table: "sessions",
                type: "uuid",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "resumed_from",
                table: "sessions");
        }
    }
}
