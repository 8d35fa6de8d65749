using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace RulesMfa.Host.Storage.Migrations
{
    /// <inheritdoc />
    public partial class SigningKeyPurposeUnique : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Two hosts that started at once before this index may each have stored a key: keep the first of each purpose,
            // the one the server has been using (it read them in insertion order).
            migrationBuilder.Sql("DELETE FROM \"SigningKeys\" WHERE \"Id\" NOT IN (SELECT MIN(\"Id\") FROM \"SigningKeys\" GROUP BY \"Purpose\");");

            migrationBuilder.CreateIndex(
                name: "IX_SigningKeys_Purpose",
                table: "SigningKeys",
                column: "Purpose",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SigningKeys_Purpose",
                table: "SigningKeys");
        }
    }
}
