export default function Home() {
  return <main>packetwalk</main>
}
