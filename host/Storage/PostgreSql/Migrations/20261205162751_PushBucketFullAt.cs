using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RulesMfa.Host.Storage.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class PushBucketFullAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Tokens",
                table: "Throttles");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "Tokens",
                table: "Throttles",
                type: "double precision",
                nullable: false,
                defaultValue: 0.0);
        }
    }
}
